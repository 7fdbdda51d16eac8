"""The fictional demo project Lindehoven: its figures, its stories and two simulated coders.

Nothing here is used by a real project; it only makes the built-in demo (``make demo``) and the
test and benchmark material. ``cijfers`` writes the KWB and municipal files, ``verhalen`` the
stories, ``codering`` lets a simulated researcher and student code them.
"""
