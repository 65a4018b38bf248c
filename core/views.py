"""View helpers every area shares: reading a submission, GOV.UK pagination, and the one
page through which a person confirms a change."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.views import View

from .door import Refused, Stale


def posted(request):
    """The submitted data, or None for a GET. An empty POST is still a submission: with
    `request.POST or None` it would leave the form unbound and show no errors at all."""
    return request.POST if request.method == "POST" else None


def posted_files(request):
    return request.FILES if request.method == "POST" else None


def pagination(page, query, param="page", fragment=""):
    """The GOV.UK pagination component's items for a Django Page, keeping the query string's
    other parameters: first, last, the current page and its neighbours, with ellipses.
    None when there is only one page. Drawn by templates/includes/pagination.html. A second
    list on a page pages with its own `param`, and its links return to its `fragment`."""
    if page.paginator.num_pages <= 1:
        return None
    query = query.copy()
    query.pop(param, None)

    def href(number):
        params = query.copy()
        params[param] = number
        return f"?{params.urlencode()}{'#' + fragment if fragment else ''}"

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


class ChangePage(LoginRequiredMixin, View):
    """The one page for every change a person confirms, most of them with a reason: accepting,
    declining or withdrawing an award, confirming its condition, recording its payment;
    shortlisting, cancelling or recording an interview, reopening scores, rejecting,
    approving; a council withdrawing its bid. (pretalx has one view for all submission states.)

    A subclass says how to find the record and who may see the page (`find`), when it is
    too early or too late to be here (`not_now`), the form, and the one verb that makes the
    change (`perform`). A verb's refusal (core.door.Refused) goes to the error summary and
    what the person typed stays on the page.
    """

    template_name = "includes/change_page.html"
    form_class = None
    title = ""
    submit_text = "Continue"
    warning = ""  # a consequence to read before pressing the button
    summary_template = ""  # what is being changed, in the page's own words
    destructive = False  # the button is a warning button (GOV.UK: for actions that cannot be undone)
    not_now_on_post = False  # also turn a submission away when it is too late (else the verb says so)
    stale_goes_back = False  # a page out of date goes back to the record, saying why (else an error)
    problem_field = None  # the field a verb's refusal is shown against (None: the whole form)

    def find(self, request, **kwargs):
        raise NotImplementedError

    def not_now(self):
        """A sentence saying why the change cannot be made now, or "" when it can."""
        return ""

    def record_url(self):
        raise NotImplementedError

    def get_form(self, data):
        return self.form_class(data, record=self.record)

    def perform(self, form):
        raise NotImplementedError

    def success_message(self, done):
        return ""

    def success_url(self, done):
        return self.record_url()

    def caption(self):
        return ""

    def extra_context(self):
        return {}

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.record = self.find(request, **kwargs)
        if request.method == "GET" or self.not_now_on_post:
            reason = self.not_now()
            if reason:
                messages.info(request, reason)
                return redirect(self.record_url())
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render(self.get_form(None))

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                done = self.perform(form)
            except Stale as error:
                if not self.stale_goes_back:
                    form.add_problems(error.problems, self.problem_field)
                    return self.render(form)
                messages.info(self.request, " ".join(error.problems))
                return redirect(self.record_url())
            except Refused as error:
                form.add_problems(error.problems, self.problem_field)
            else:
                message = self.success_message(done)
                if message:
                    messages.success(request, message)
                return redirect(self.success_url(done))
        return self.render(form)

    def render(self, form):
        return render(
            self.request,
            self.template_name,
            {
                "page_title": self.title,
                "caption": self.caption(),
                "record": self.record,
                "form": form,
                "submit_text": self.submit_text,
                "warning": self.warning,
                "summary_template": self.summary_template,
                "destructive": self.destructive,
                "back_url": self.record_url(),
                "cancel_url": self.record_url(),
                **self.extra_context(),
            },
        )
