"""The letters one can print by hand and the e-invoice formats, as the faces offer them.

Light to import (no PDF, XML or database code), so the command line lists the choices
without loading the machinery behind them."""

from desktop_app.documents.data import LETTER_STAGES as LETTER_STAGES
from desktop_app.documents.einvoice.formats import FORMATS as FORMATS
