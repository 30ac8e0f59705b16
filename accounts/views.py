"""The user's own API tokens (/account/tokens/): create one (its key shown once), revoke one."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.models import ApiToken
from core.forms import BootstrapForm


class ApiTokenForm(BootstrapForm):
    name = forms.CharField(max_length=100, help_text="What will use it, e.g. “my spreadsheet”.")


@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    tokens = list(ApiToken.objects.filter(user=request.user))
    context = {"tokens": tokens, "form": form, "new_key": new_key}
    return render(request, "accounts/tokens.html", context)


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404("You have no such token.")
    services.api_token_revoke(token=token, user=request.user)
    messages.success(request, f"The token “{token.name}” was revoked.")
    return redirect("account-tokens")


urlpatterns = [
    path("account/tokens/", token_list, name="account-tokens"),
    path("account/tokens/<int:pk>/revoke/", token_revoke, name="account-token-revoke"),
]
