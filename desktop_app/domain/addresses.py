"""Careful checks for email addresses and host names before they reach a header or socket
(the same check when a customer is saved as when its mail is built)."""

from __future__ import annotations

import ipaddress
import re

from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_

_LOCAL_ATOM = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _ascii_domain(field: str, domain: str) -> str:
    """IDNA-encode a domain so that non-ASCII names still travel in plain SMTP."""
    try:
        return domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ValidationError(field, N_("{domain} is not a valid domain name"),
                              domain=repr(domain)) from None


def check_host(field: str, value: str) -> str:
    """Return a host name or IP literal, refusing anything a socket would misread."""
    host = value.strip() if isinstance(value, str) else ""
    if not host:
        raise ValidationError(field, N_("is required"))
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    if _CONTROL.search(host) or " " in host or len(host) > 253:
        raise ValidationError(field, N_("{host} is not a valid host name"), host=repr(host))
    ascii_host = _ascii_domain(field, host.rstrip("."))
    if not all(_LABEL.match(label) for label in ascii_host.split(".")):
        raise ValidationError(field, N_("{host} is not a valid host name"), host=repr(host))
    return ascii_host


def is_loopback(host: str) -> bool:
    """True for this machine only: plain-text SMTP is allowed nowhere else."""
    if host.lower() in {"localhost", "localhost."}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_address(field: str, value: str) -> str:
    """Return a bare address ``local@domain`` or raise naming the field.

    Stricter than RFC 5322 on purpose: no quoted local parts, no comments, no display name,
    nothing that could smuggle a second header or recipient into the message.
    """
    address = value.strip() if isinstance(value, str) else ""
    if not address:
        raise ValidationError(field, N_("an email address is required"))
    if _CONTROL.search(address) or len(address) > 254:
        raise _not_an_address(field, address)
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or len(local) > 64:
        raise _not_an_address(field, address)
    if not all(_LOCAL_ATOM.match(part) for part in local.split(".")):
        raise _not_an_address(field, address)
    ascii_domain = _ascii_domain(field, domain)
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise _not_an_address(field, address)
    return f"{local}@{ascii_domain}"


def _not_an_address(field: str, address: str) -> ValidationError:
    return ValidationError(field, N_("{address} is not a valid email address"),
                           address=repr(address))
