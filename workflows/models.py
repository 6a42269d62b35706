from .idea_lifecycle import IdeaLifecycle

__all__ = ["IdeaLifecycle"]
