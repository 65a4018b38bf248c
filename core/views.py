"""View helpers every area shares: reading a submission, and GOV.UK pagination."""


def posted(request):
    """The submitted data, or None for a GET. An empty POST is still a submission: with
    `request.POST or None` it would leave the form unbound and show no errors at all."""
    return request.POST if request.method == "POST" else None


def posted_files(request):
    return request.FILES if request.method == "POST" else None


def pagination(page, query):
    """The GOV.UK pagination component's items for a Django Page, keeping the query string's
    other parameters: first, last, the current page and its neighbours, with ellipses.
    None when there is only one page. Drawn by templates/includes/pagination.html."""
    if page.paginator.num_pages <= 1:
        return None
    query = query.copy()
    query.pop("page", None)

    def href(number):
        params = query.copy()
        params["page"] = number
        return f"?{params.urlencode()}"

    items, last = [], 0
    for number in page.paginator.page_range:
        if number in (1, page.paginator.num_pages) or abs(number - page.number) <= 1:
            if last and number - last > 1:
                items.append({"ellipsis": True})
            items.append({"number": number, "href": href(number), "current": number == page.number})
            last = number
    return {
        "items": items,
        "previous": href(page.previous_page_number()) if page.has_previous() else None,
        "next": href(page.next_page_number()) if page.has_next() else None,
    }
