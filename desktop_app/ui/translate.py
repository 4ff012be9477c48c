"""The window's words in the user's language.

One pipeline with the letters: the window's texts live in gettext catalogues
(``resources/locale/<lang>/LC_MESSAGES/window.po``, English is the msgid), extracted with
``make messages`` (pybabel extract + update) and read with Babel at start-up, so no compiled
file has to be kept in step. Babel knows each language's plural rule (one, few, many in
Russian; one form in Chinese). Qt's own dialogs get Qt's catalogue for the same language.

The language follows the system unless one is chosen in Settings (kept in the window's
settings file); a change takes effect at the next start.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from babel import Locale, UnknownLocaleError
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from desktop_app.window_words import LANGUAGES, catalogue

LANGUAGE_KEY = "window/language"  # "" or absent: follow the system
# The locale whose formats (money, dates, numbers) a language takes when the system's region
# does not speak it.
_DEFAULT_LOCALES = {"en": "en_US", "de": "de_DE", "ru": "ru_RU", "zh_CN": "zh_Hans_CN",
                    "zh_TW": "zh_Hant_TW"}
_QT_CATALOGUES = {"en": "", "de": "qtbase_de", "ru": "qtbase_ru", "zh_CN": "qtbase_zh_CN",
                  "zh_TW": "qtbase_zh_TW"}


@dataclass(frozen=True, slots=True)
class Language:
    """The words (a catalogue) and the formats (a Babel locale) the window uses."""

    code: str
    locale: str


def language_of(locale_name: str) -> str:
    """The window language for a system locale: zh_TW, zh_HK and zh_Hant read traditional
    characters, every other Chinese simplified; a language PaidUp does not speak is English."""
    name = locale_name.replace("-", "_")
    if name.startswith("zh"):
        traditional = any(part in ("TW", "HK", "MO", "Hant") for part in name.split("_")[1:])
        return "zh_TW" if traditional else "zh_CN"
    language = name.split("_")[0]
    return language if language in LANGUAGES else "en"


def system_locale() -> str:
    """The system's locale as Babel names it; the C and POSIX locales read as US English."""
    name = QLocale.system().name()
    return "en_US" if name in ("C", "POSIX", "") else name


def format_locale(code: str, system: str) -> str:
    """The system's own locale when it speaks the chosen language (de_AT keeps Austria's
    formats), else the language's usual one."""
    if language_of(system) == code:
        try:
            return str(Locale.parse(system))
        except (ValueError, UnknownLocaleError):
            pass
    return _DEFAULT_LOCALES[code]


def chosen_language(settings: QSettings) -> str:
    """The language chosen in Settings (or the first-run wizard); "" follows the system."""
    code = str(settings.value(LANGUAGE_KEY, "") or "")
    return code if code in LANGUAGES else ""


def choose_language(settings: QSettings, code: str) -> None:
    """Keep the user's choice ("" to follow the system); it takes effect at the next start."""
    if code and code not in LANGUAGES:
        raise ValueError(f"PaidUp's window does not speak {code!r}")
    settings.setValue(LANGUAGE_KEY, code)
    settings.sync()


def language_for(settings: QSettings, override: str = "") -> Language:
    """The language to start in: one given for this start, else the chosen one, else the
    system's."""
    system = system_locale()
    given = override if override in LANGUAGES else ""  # PAIDUP_LANG=xx: as if not set
    code = given or chosen_language(settings) or language_of(system)
    return Language(code, format_locale(code, system))


K = TypeVar("K", bound=Hashable)

_current = Language("en", "en_US")


def use(language: Language) -> None:
    """The language of every text and format the window shows from now on."""
    global _current
    _current = language


def current() -> Language:
    return _current


def _(message: str) -> str:
    """The message in the window's language (English when it has no translation yet). An
    empty text stays empty: gettext would answer it with the catalogue's header."""
    return catalogue(_current.code).gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for n in the window's language: Russian has three, Chinese one."""
    return catalogue(_current.code).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """The same English word meaning another thing ("Received": a payment's date, or the
    customer's word that an invoice arrived) gets its own translation by its context."""
    return catalogue(_current.code).pgettext(context, message) if message else message


class Contextual(str):
    """A message marked with its context (NC_), translated by it where shown."""

    context: str


def NC_(context: str, message: str) -> str:
    """Marks a message with its context for extraction; Words translate it by it."""
    marked = Contextual(message)
    marked.context = context
    return marked


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; it is translated where shown."""
    return message


class Words(Mapping[K, str]):
    """Names kept by key at import time (statuses, methods, headers) and read in the
    window's language when shown, so that the language can be chosen after the import."""

    def __init__(self, messages: Mapping[K, str]) -> None:
        self._messages = dict(messages)

    def __getitem__(self, key: K) -> str:
        message = self._messages[key]
        if isinstance(message, Contextual):
            return pgettext(message.context, message)
        return _(message)

    def __iter__(self) -> Iterator[K]:
        return iter(self._messages)

    def __len__(self) -> int:
        return len(self._messages)

    def msgid(self, key: K) -> str:
        """The English message, to build another list of words from this one."""
        return self._messages[key]


def start(app: QCoreApplication, settings: QSettings, override: str = "") -> Language:
    """At start-up, before any window: the language's words, Qt's own and the formats Qt's
    widgets use (a date edit's month names, a spin box's decimal mark)."""
    language = language_for(settings, override)
    use(language)
    install_qt_translations(app, language.code)
    QLocale.setDefault(QLocale(language.locale.replace("_Hans", "").replace("_Hant", "")))
    return language


def install_qt_translations(app: QCoreApplication, code: str) -> QTranslator | None:
    """Qt's own buttons and dialogs (Cancel, Save, the file and print dialogs) in the same
    language, from the catalogue PySide6 ships."""
    name = _QT_CATALOGUES.get(code, "")
    if not name:
        return None
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(name, folder):
        return None
    app.installTranslator(translator)
    return translator
