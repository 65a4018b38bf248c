import pytest

from reference.models import AuthorityKind, LocalAuthority, Region, ServiceScope

pytestmark = pytest.mark.django_db


def test_the_150_councils_of_2003_by_type():
    counts = {kind: LocalAuthority.objects.filter(kind=kind).count() for kind in AuthorityKind.values}
    assert counts == {
        "county": 34,
        "unitary": 46,
        "metropolitan": 36,
        "london_borough": 32,
        "sui_generis": 2,  # the Council of the Isles of Scilly and the City of London
    }
    assert LocalAuthority.objects.count() == 150


@pytest.mark.parametrize(
    ("code", "name", "kind", "region", "gss"),
    [
        ("KEN", "Kent County Council", "county", "south_east", "E10000016"),
        ("BST", "Bristol City Council", "unitary", "south_west", "E06000023"),
        ("TWH", "London Borough of Tower Hamlets", "london_borough", "london", "E09000030"),
        ("LDS", "Leeds City Council", "metropolitan", "yorkshire_humber", "E08000035"),
        ("IOS", "Council of the Isles of Scilly", "sui_generis", "south_west", "E06000053"),
        ("LND", "City of London Corporation", "sui_generis", "london", "E09000001"),
        ("GAT", "Gateshead Metropolitan Borough Council", "metropolitan", "north_east", "E08000037"),
        ("CON", "Cornwall County Council", "county", "south_west", "E06000052"),
    ],
)
def test_sample_of_codes(code, name, kind, region, gss):
    authority = LocalAuthority.objects.get(code=code)
    assert (authority.lae_code, authority.name, authority.kind, authority.region, authority.gss_code) == (
        code,
        name,
        kind,
        region,
        gss,
    )
    assert authority.org_id == f"GB-LAE-{code}"


def test_councils_abolished_before_the_register_have_no_register_code():
    without = LocalAuthority.objects.filter(lae_code="").order_by("name")
    assert [a.name for a in without] == ["Bedfordshire County Council", "Cheshire County Council"]
    assert all(a.org_id == "" and a.gss_code == "" for a in without)


def test_every_council_is_in_one_of_the_nine_regions_and_codes_are_unique():
    assert set(LocalAuthority.objects.values_list("region", flat=True)) == set(Region.values)
    gss = [g for g in LocalAuthority.objects.values_list("gss_code", flat=True) if g]
    assert len(gss) == len(set(gss)) == 148  # all but Bedfordshire and Cheshire


def test_service_scopes_from_the_articles_and_youth_offending_excluded():
    allowed = set(ServiceScope.objects.filter(allowed=True).values_list("slug", flat=True))
    assert {
        "disabled-children",
        "special-educational-needs",
        "child-protection",
        "children-at-risk",
        "speech-language-therapy",
        "mental-health",
    } <= allowed
    youth = ServiceScope.objects.get(slug="youth-offending")
    assert youth.allowed is False
    assert "Youth offending teams will not be involved" in youth.excluded_reason
