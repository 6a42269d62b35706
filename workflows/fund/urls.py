"""Fund screens. Each views module owns one area; URL names are the contract
the templates and tests use."""

from django.urls import path

from .views import applications, dashboard, decisions, exports, meetings, reviews

app_name = "fund"

urlpatterns = [
    # dashboard.py
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("funds/<int:pk>/", dashboard.FundDetailView.as_view(), name="fund-detail"),
    path("follow-up/", dashboard.FollowUpView.as_view(), name="follow-up"),
    # applications.py (the applicant's side and follow-up of costs)
    path("apply/<int:idea_pk>/", applications.ApplicationCreateView.as_view(), name="apply"),
    path("applications/", applications.ApplicationListView.as_view(), name="application-list"),
    path(
        "applications/<int:pk>/",
        applications.ApplicationDetailView.as_view(),
        name="application-detail",
    ),
    path(
        "applications/<int:pk>/edit/",
        applications.ApplicationUpdateView.as_view(),
        name="application-edit",
    ),
    path("applications/<int:pk>/costs/", applications.CostCreateView.as_view(), name="cost-add"),
    path(
        "applications/<int:pk>/return-money/",
        applications.ReturnMoneyView.as_view(),
        name="return-money",
    ),
    path("costs/<int:pk>/receipt/", applications.ReceiptView.as_view(), name="cost-receipt"),
    # reviews.py (declare conflicts, score, see the spread, delegated decisions)
    path("applications/<int:pk>/declare/", reviews.DeclareView.as_view(), name="declare"),
    path("applications/<int:pk>/review/", reviews.ReviewView.as_view(), name="review"),
    path("applications/<int:pk>/decide/", reviews.DecideView.as_view(), name="decide"),
    # After the other application routes, which it would otherwise take for actions.
    path(
        "applications/<int:pk>/<str:action>/",
        applications.ApplicationActionView.as_view(),
        name="application-action",
    ),
    # meetings.py (meetings, their decisions and minutes)
    path("meetings/", meetings.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/new/", meetings.MeetingCreateView.as_view(), name="meeting-create"),
    path("meetings/<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/edit/", meetings.MeetingUpdateView.as_view(), name="meeting-edit"),
    path(
        "meetings/<int:pk>/items/<int:application_pk>/move-<str:direction>/",
        meetings.AgendaMoveView.as_view(),
        name="agenda-move",
    ),
    path(
        "meetings/<int:pk>/items/<int:application_pk>/stand-in/",
        meetings.StandInView.as_view(),
        name="stand-in",
    ),
    # Before the action route, which would otherwise take "minutes", "date" and
    # "minute-checkers" for actions.
    path("meetings/<int:pk>/minutes/", meetings.MinutesView.as_view(), name="minutes"),
    path("meetings/<int:pk>/minutes.pdf", meetings.MinutesPdfView.as_view(), name="minutes-pdf"),
    path(
        "meetings/<int:pk>/minutes/sign/", meetings.MinutesSignView.as_view(), name="minutes-sign"
    ),
    path(
        "meetings/<int:pk>/minutes/post/", meetings.MinutesPostView.as_view(), name="minutes-post"
    ),
    path("meetings/<int:pk>/date/", meetings.MeetingDateView.as_view(), name="meeting-date"),
    path(
        "meetings/<int:pk>/minute-checkers/",
        meetings.MinuteCheckersView.as_view(),
        name="meeting-checkers",
    ),
    path(
        "meetings/<int:pk>/<str:action>/",
        meetings.MeetingActionView.as_view(),
        name="meeting-action",
    ),
    # decisions.py (the register for staff, one decision, corrections)
    path("decisions/", decisions.RegisterView.as_view(), name="register"),
    path("decisions/<int:pk>/", decisions.DecisionDetailView.as_view(), name="decision-detail"),
    path(
        "decisions/<int:pk>/supersede/",
        decisions.SupersedeView.as_view(),
        name="decision-supersede",
    ),
    # exports.py
    path(
        "decisions/export.<str:fmt>", exports.DecisionExportView.as_view(), name="decision-export"
    ),
    path("costs/export.<str:fmt>", exports.CostExportView.as_view(), name="cost-export"),
]
