"""The networks of the book's chapters."""

from emergence.models.committee import committee_output, train_committees
from emergence.models.convcommittee import ConvCommittee

__all__ = ["ConvCommittee", "committee_output", "train_committees"]
