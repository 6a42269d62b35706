from django.urls import path

from .views import attachments, comments, ideas, mistakes, similar

app_name = "ideas"

urlpatterns = [
    path("", ideas.IdeaListView.as_view(), name="idea-list"),
    path("mine/", ideas.MyIdeasView.as_view(), name="idea-mine"),
    path("inbox/", ideas.CoachInboxView.as_view(), name="idea-inbox"),
    path("new/", ideas.IdeaCreateView.as_view(), name="idea-create"),
    path("similar/", similar.similar_ideas, name="idea-similar"),
    path("<int:pk>/", ideas.IdeaDetailView.as_view(), name="idea-detail"),
    path("<int:pk>/edit/", ideas.IdeaUpdateView.as_view(), name="idea-update"),
    path("<int:pk>/team/", ideas.IdeaTeamView.as_view(), name="idea-team"),
    path("<int:pk>/test-plan/", ideas.TestPlanView.as_view(), name="idea-test-plan"),
    path("<int:pk>/evaluation/", ideas.EvaluationView.as_view(), name="idea-evaluation"),
    path(
        "<int:pk>/transition/<slug:name>/",
        ideas.IdeaTransitionView.as_view(),
        name="idea-transition",
    ),
    path("<int:pk>/champion/", ideas.ChampionView.as_view(), name="idea-champion"),
    path("<int:pk>/consent/", ideas.ConsentView.as_view(), name="idea-consent"),
    path("<int:pk>/comments/", comments.CommentCreateView.as_view(), name="comment-create"),
    path("comments/<int:pk>/hide/", comments.CommentHideView.as_view(), name="comment-hide"),
    path(
        "<int:pk>/attachments/",
        attachments.AttachmentCreateView.as_view(),
        name="attachment-create",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        attachments.attachment_file,
        name="attachment-file",
    ),
    # The best mistake of the year
    path("mistakes/", mistakes.MyNominationsView.as_view(), name="mistake-mine"),
    path("mistakes/nominate/", mistakes.NominateView.as_view(), name="mistake-nominate"),
    path("mistakes/jury/", mistakes.JuryView.as_view(), name="mistake-jury-current"),
    path("mistakes/jury/<int:year>/", mistakes.JuryView.as_view(), name="mistake-jury"),
    path(
        "mistakes/jury/<int:year>/declare/",
        mistakes.DeclareWinnerView.as_view(),
        name="mistake-declare",
    ),
    path("mistakes/<int:pk>/vote/", mistakes.VoteView.as_view(), name="mistake-vote"),
    path(
        "mistakes/<int:pk>/withdraw-win/",
        mistakes.WithdrawWinnerView.as_view(),
        name="mistake-withdraw-winner",
    ),
    path(
        "mistakes/<int:pk>/<slug:step>/",
        mistakes.JuryStepView.as_view(),
        name="mistake-step",
    ),
]
