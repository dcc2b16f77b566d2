"""What plans tell the apps built on them, without knowing them."""

from django.dispatch import Signal

# A revision was adopted: `new` replaces `old` (now superseded). Sent inside the adoption's
# transaction, with `by`; receivers move what attaches to a plan (contributions, round tables)
# to the new version, following objectives and activities by their `key`.
plan_superseded = Signal()
