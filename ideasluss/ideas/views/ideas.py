from django.views import View


class _Stub(View):
    pass


IdeaListView = MyIdeasView = CoachInboxView = IdeaCreateView = IdeaDetailView = _Stub
IdeaUpdateView = IdeaTeamView = TestPlanView = EvaluationView = IdeaTransitionView = _Stub
ChampionView = ConsentView = _Stub
