"""Believable sample documents: the template editor previews on them, and the README's
pictures are made from them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from desktop_app.documents.data import (
    BankDetails,
    Company,
    ContactPerson,
    Customer,
    DepositRequest,
    Installment,
    InterestCalc,
    Invoice,
    InvoiceLine,
    Letter,
    LetterItem,
    Paper,
    PaymentPlan,
    ReminderSent,
    Signer,
    Stage,
)
from desktop_app.documents.letter_templates import default_next_step
from desktop_app.domain.lines import Line, totals
from desktop_app.domain.terms import PaymentTerms


def sample_company(paper: Paper = "a4", currency: str = "EUR") -> Company:
    return Company(
        name="Nordlicht Tischlerei GmbH", address=("Hafenstraße 12", "20457 Hamburg"),
        email="buero@nordlicht-tischlerei.example", phone="+49 40 1234567",
        tax_id="21/815/08150", website="nordlicht-tischlerei.example",
        bank=BankDetails(account_holder="Nordlicht Tischlerei GmbH", bank_name="Hamburger Bank",
                         iban="DE89 3704 0044 0532 0130 00", bic="COBADEFFXXX"),
        currency=currency, paper=paper, country="DE", vat_id="DE136695976",
        register="Amtsgericht Hamburg, HRB 123456, Sitz Hamburg",
        directors="Anna Schmidt, Jens Petersen",
        signer=Signer("Anna Schmidt", "Geschäftsführerin"))


def sparse_company(paper: Paper = "a4", currency: str = "EUR") -> Company:
    """A company that filled in only its name, address and account: the letters must still
    read as whole sentences."""
    return Company(name="Nordlicht Tischlerei GmbH", address=("Hafenstraße 12", "20457 Hamburg"),
                   bank=BankDetails(iban="DE89 3704 0044 0532 0130 00"), currency=currency,
                   paper=paper)


def sample_customer(language: str = "en") -> Customer:
    names = {"en": ("Miller & <Sons> Ltd", ("Attn. Accounts Payable", "14 Harbour Road",
                                            "Bristol BS1 4RN", "United Kingdom")),
             "de": ("Müller & <Söhne> KG", ("Buchhaltung", "Lindenallee 7", "50667 Köln")),
             "ru": ("ООО «Северный ветер»", ("ул. Ленина, д. 5, оф. 12", "190000 Санкт-Петербург",
                                             "Россия")),
             "zh_CN": ("上海明日贸易有限公司", ("浦东新区世纪大道100号", "200120 上海", "中国")),
             "zh_TW": ("臺北晨光貿易股份有限公司", ("信義區松仁路100號", "110 臺北市", "臺灣"))}
    name, address = names[language]
    contacts = {"en": "Sarah Miller", "de": "Eva Müller", "ru": "Иванова Мария Петровна",
                "zh_CN": "王芳", "zh_TW": "林美玲"}
    return Customer(name, address, language, number="K-1042", contact=contacts[language])


def sample_terms() -> PaymentTerms:
    return PaymentTerms("2/10 net 30", 30, Decimal(2), 10, late_fee_minor=500,
                        interest_annual_percent=Decimal("9.12"), grace_days=5)


def sample_invoice(company: Company | None = None, customer: Customer | None = None,
                   line_count: int = 4, installments: bool = True) -> Invoice:
    company = company or sample_company()
    customer = customer or sample_customer()
    cur = company.currency
    catalogue = [("Oak dining table, 220 x 100 cm, oiled", "1", "2450.00", "19", "0"),
                 ("Matching bench, 200 cm", "2", "480.00", "19", "5"),
                 ("Delivery and assembly on site", "3.5", "68.00", "19", "0"),
                 ("Care kit (oil, cloth, instructions)", "1", "24.90", "7", "0")]
    lines = [Line(d, Decimal(q), Decimal(p), Decimal(t), Decimal(x))
             for d, q, p, t, x in (catalogue * (line_count // len(catalogue) + 1))[:line_count]]
    total = totals(lines, cur)
    issued = date(2025, 3, 3)
    terms = sample_terms()
    schedule: tuple[Installment, ...] = ()
    if installments:
        first = total.total_minor * 30 // 100
        second = total.total_minor * 30 // 100
        schedule = (Installment("Deposit", issued, first, first),
                    Installment("On delivery", issued + timedelta(days=14), second),
                    Installment("Final payment", issued + timedelta(days=30),
                                total.total_minor - first - second))
    return Invoice(company, customer, "2025-0042", issued, terms.due_date(issued), cur,
                   tuple(InvoiceLine.from_line(line, cur) for line in lines), total.bands,
                   total.subtotal_minor, total.tax_minor, total.total_minor, terms, schedule,
                   supply_date=date(2025, 2, 27), order_reference="PO-2025-118")


def sample_letter(stage: Stage = Stage.REMINDER_2, language: str = "en",
                  company: Company | None = None) -> Letter:
    company = company or sample_company()
    issued = date(2025, 3, 3)
    items = (LetterItem("2025-0042", issued, date(2025, 4, 2), 245_000,
                        interest=InterestCalc(Decimal("9.12"), 20, 245_000, 1224)
                        if stage in (Stage.REMINDER_2, Stage.FINAL_NOTICE, Stage.HANDOVER)
                        else None),
             LetterItem("2025-0051", date(2025, 3, 10), date(2025, 4, 9), 38_990))
    late = stage in (Stage.REMINDER_2, Stage.FINAL_NOTICE, Stage.HANDOVER)
    plan = PaymentPlan((Installment("1/3", date(2025, 5, 15), 94_663),
                        Installment("2/3", date(2025, 6, 15), 94_663),
                        Installment("3/3", date(2025, 7, 15), 94_664))
                       ) if stage is Stage.PAYMENT_PLAN else None
    deposit = DepositRequest("A-2025-007", "Kitchen cabinets, 30 % deposit", 156_000,
                             date(2025, 5, 20)) if stage is Stage.DEPOSIT_REQUEST else None
    return Letter(
        stage, company, sample_customer(language), date(2025, 5, 2), company.currency,
        ContactPerson("Anna Schmidt", "+49 40 1234567-12", "anna.schmidt@nordlicht.example"),
        items=() if deposit else items, fee_minor=500 if late else 0,
        deadline=date(2025, 5, 16) if stage in (Stage.FINAL_NOTICE, Stage.HANDOVER,
                                                Stage.REMINDER_2) else None,
        next_step=(default_next_step(language)
                   if stage in (Stage.FINAL_NOTICE, Stage.HANDOVER) else ""),
        plan=plan, deposit=deposit,
        fee_rule="per_reminder" if late else "", fee_rate_minor=500 if late else 0,
        reminders=(ReminderSent("reminder_1", date(2025, 4, 18)),)
        if stage in (Stage.REMINDER_2, Stage.FINAL_NOTICE, Stage.HANDOVER) else ())
