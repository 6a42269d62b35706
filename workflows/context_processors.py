def notifications(request):
    """The unread-notification count for the header (one cheap query, signed-in users only)."""
    return {}
