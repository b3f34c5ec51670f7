"""Routes of the connectors app: the OpenID Connect provider (portal), the pages and the API."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path, re_path
from oauth2_provider import views as oauth_views

from shared_apps.connectors import api, views
from shared_apps.connectors.authorize import AppSignInView
from shared_apps.connectors.cas import CasLoginView, CasValidateView
from shared_apps.connectors.gar_exclusions import (
    GarExclusionApi,
    GarExclusionLiftView,
    GarExclusionListApi,
    GarExclusionsView,
)
from shared_apps.connectors.gar_views import GarExportListApi, GarExportsView
from shared_apps.connectors.lti_admin_views import LtiToolEditView, LtiToolRemoveView, LtiToolsView
from shared_apps.connectors.lti_api import LtiToolApi, LtiToolListApi
from shared_apps.connectors.lti_views import (
    LtiAuthorizeView,
    LtiJwksView,
    LtiLaunchView,
    LtiMembershipsView,
    LtiTokenView,
)
from shared_apps.connectors.resources import ResourcesApi, ResourcesView
from shared_apps.connectors.saml import SamlMetadataView, SamlSignOnView


class TokenView(oauth_views.TokenView):
    allow_anonymous = True  # the client authenticates itself (secret or PKCE verifier)


class RevokeTokenView(oauth_views.RevokeTokenView):
    allow_anonymous = True


class DiscoveryView(oauth_views.ConnectDiscoveryInfoView):
    allow_anonymous = True


class JwksView(oauth_views.JwksInfoView):
    allow_anonymous = True


class UserInfoView(oauth_views.UserInfoView):
    allow_anonymous = True  # the access token is the credential


#: The OpenID Connect provider, on the portal: /o/authorize/, /o/token/, the discovery document…
#: (django-oauth-toolkit reverses its own names in the namespace "oauth2_provider").
_oidc: list[URLPattern] = [
    path("authorize/", AppSignInView.as_view(), name="authorize"),
    path("token/", TokenView.as_view(), name="token"),
    path("revoke_token/", RevokeTokenView.as_view(), name="revoke-token"),
    re_path(
        r"^\.well-known/openid-configuration/?$", DiscoveryView.as_view(), name="oidc-connect-discovery-info"
    ),
    path(".well-known/jwks.json", JwksView.as_view(), name="jwks-info"),
    path("userinfo/", UserInfoView.as_view(), name="user-info"),
]
oidc_urlpatterns: list[URLResolver | URLPattern] = [
    path("o/", include((_oidc, "oauth2_provider"))),
    # The CAS server (2.0 and 3.0), beside OIDC.
    path("cas/login", CasLoginView.as_view(), name="cas-login"),
    path("cas/serviceValidate", CasValidateView.as_view(), name="cas-service-validate"),
    path("cas/p3/serviceValidate", CasValidateView.as_view(), name="cas-p3-service-validate"),
    # The SAML identity provider for the GAR.
    path("saml/metadata/", SamlMetadataView.as_view(), name="saml-metadata"),
    path("saml/sso/redirect/", SamlSignOnView.as_view(), name="saml-sso"),
    # The LTI 1.3 platform: authorization endpoint, keys, tokens, names and roles service.
    path("lti/authorize/", LtiAuthorizeView.as_view(), name="lti-authorize"),
    path("lti/jwks/", LtiJwksView.as_view(), name="lti-jwks"),
    path("lti/token/", LtiTokenView.as_view(), name="lti-token"),
    path(
        "lti/nrps/<str:uai>/<int:class_id>/memberships",
        LtiMembershipsView.as_view(),
        name="lti-memberships",
    ),
]

page_urlpatterns: list[URLPattern] = [
    path("accounts/connected-apps/", views.ConnectedAppsView.as_view(), name="account-connected-apps"),
    path(
        "accounts/connected-apps/<int:grant_id>/revoke/",
        views.ConnectedAppRevokeView.as_view(),
        name="account-connected-app-revoke",
    ),
    path("resources/", ResourcesView.as_view(), name="connectors-resources"),
    path("lti/launch/<int:tool_id>/", LtiLaunchView.as_view(), name="lti-launch"),
    path("connectors/gar-exports/", GarExportsView.as_view(), name="connectors-gar-exports"),
    path("connectors/gar-exclusions/", GarExclusionsView.as_view(), name="connectors-gar-exclusions"),
    path(
        "connectors/gar-exclusions/<int:exclusion_id>/lift/",
        GarExclusionLiftView.as_view(),
        name="connectors-gar-exclusion-lift",
    ),
    path("connectors/lti-tools/", LtiToolsView.as_view(), name="connectors-lti-tools"),
    path("connectors/lti-tools/<int:tool_id>/", LtiToolEditView.as_view(), name="connectors-lti-tool"),
    path(
        "connectors/lti-tools/<int:tool_id>/remove/",
        LtiToolRemoveView.as_view(),
        name="connectors-lti-tool-remove",
    ),
    path("connectors/apps/", views.AppsAdminView.as_view(), name="connectors-apps"),
    path(
        "connectors/apps/<int:app_id>/disable/", views.AppDisableView.as_view(), name="connectors-app-disable"
    ),
]

#: Under /api/v1/.
api_urlpatterns: list[URLPattern] = [
    path("connectors/apps/", api.ConnectedAppListApi.as_view(), name="api-connectors-apps"),
    path(
        "connectors/apps/<int:app_id>/disable/",
        api.ConnectedAppDisableApi.as_view(),
        name="api-connectors-app-disable",
    ),
    path("connectors/cas-services/", api.CasServiceListApi.as_view(), name="api-connectors-cas-services"),
    path("resources/", ResourcesApi.as_view(), name="api-resources"),
    path("connectors/gar-exports/", GarExportListApi.as_view(), name="api-connectors-gar-exports"),
    path("connectors/gar-exclusions/", GarExclusionListApi.as_view(), name="api-connectors-gar-exclusions"),
    path(
        "connectors/gar-exclusions/<int:exclusion_id>/",
        GarExclusionApi.as_view(),
        name="api-connectors-gar-exclusion",
    ),
    path("connectors/lti-tools/", LtiToolListApi.as_view(), name="api-connectors-lti-tools"),
    path("connectors/lti-tools/<int:tool_id>/", LtiToolApi.as_view(), name="api-connectors-lti-tool"),
    path("account/connected-apps/", api.AppGrantListApi.as_view(), name="api-account-connected-apps"),
    path(
        "account/connected-apps/<int:grant_id>/",
        api.AppGrantRevokeApi.as_view(),
        name="api-account-connected-app",
    ),
]
