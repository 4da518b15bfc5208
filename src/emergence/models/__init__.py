"""The networks of the book's chapters."""

from emergence.models.committee import SoftCommittee
from emergence.models.convcommittee import ConvCommittee

__all__ = ["ConvCommittee", "SoftCommittee"]
