from django.views import View


class CommentCreateView(View):
    pass


class CommentHideView(View):
    pass
