"""OASIS UBL 2.1 Invoice and CreditNote as EN 16931 binds them: XRechnung 3.0 UBL and Peppol
BIS Billing 3.0 differ only in their customization identifier."""

from __future__ import annotations

from decimal import Decimal

from desktop_app.documents.einvoice.model import (
    AllowanceCharge,
    DocumentKind,
    EInvoice,
    Line,
    Party,
    VatCategory,
    amount_text,
    decimal_text,
)
from desktop_app.documents.einvoice.terms import terms_description
from desktop_app.documents.einvoice.xml import Element, Writer, iso
from desktop_app.domain.money import ZERO

ROOT_NS = {
    DocumentKind.INVOICE: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    DocumentKind.CREDIT_NOTE: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
COMMON = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


def write_ubl(invoice: EInvoice, *, customization: str, profile: str,
              skonto: bool = False, rate_always: bool = False) -> bytes:
    """``rate_always``: every VAT breakdown names a rate, 0 for O (XRechnung BR-DE-14)."""
    return _Ubl(invoice, rate_always).document(customization, profile, skonto)


class _Ubl:
    def __init__(self, invoice: EInvoice, rate_always: bool = False) -> None:
        self.inv = invoice
        self.rate_always = rate_always
        self.credit = invoice.kind is DocumentKind.CREDIT_NOTE
        self.w = Writer({"ubl": ROOT_NS[invoice.kind], **COMMON}, default="ubl")

    def money(self, parent: Element, name: str, value: Decimal) -> None:
        self.w.add(parent, name, amount_text(value, self.inv.currency),
                   currencyID=self.inv.currency)

    def document(self, customization: str, profile: str, skonto: bool) -> bytes:
        w, inv = self.w, self.inv
        root = w.root("ubl:CreditNote" if self.credit else "ubl:Invoice")
        w.add(root, "cbc:CustomizationID", customization)
        w.add(root, "cbc:ProfileID", profile)
        w.add(root, "cbc:ID", inv.number)
        w.add(root, "cbc:IssueDate", iso(inv.issue_date))
        if inv.due_date and not self.credit:
            w.add(root, "cbc:DueDate", iso(inv.due_date))
        w.add(root, "cbc:CreditNoteTypeCode" if self.credit else "cbc:InvoiceTypeCode",
              inv.kind.value)
        for note in inv.notes:
            w.opt(root, "cbc:Note", note)
        w.add(root, "cbc:DocumentCurrencyCode", inv.currency)
        w.opt(root, "cbc:BuyerReference", inv.buyer_reference)
        if inv.period:
            self.period(root, inv.period)
        if inv.order_reference:
            w.add(w.add(root, "cac:OrderReference"), "cbc:ID", inv.order_reference)
        for ref in inv.preceding:
            doc = w.add(w.add(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
            w.add(doc, "cbc:ID", ref.number)
            if ref.issue_date:
                w.add(doc, "cbc:IssueDate", iso(ref.issue_date))
        self.party(w.add(root, "cac:AccountingSupplierParty"), inv.seller, seller=True)
        self.party(w.add(root, "cac:AccountingCustomerParty"), inv.buyer, seller=False)
        self.delivery(root)
        self.payment(root)
        text = terms_description(inv, skonto=skonto)
        if text:
            w.add(w.add(root, "cac:PaymentTerms"), "cbc:Note", text)
        for item in inv.allowances_charges:
            self.allowance_charge(root, item)
        self.tax_total(root)
        self.totals(root)
        for line in inv.lines:
            self.line(root, line)
        return w.serialize(root)

    def period(self, parent: Element, period: tuple) -> None:
        node = self.w.add(parent, "cac:InvoicePeriod")
        self.w.add(node, "cbc:StartDate", iso(period[0]))
        self.w.add(node, "cbc:EndDate", iso(period[1]))

    def address(self, parent: Element, name: str, party: Party) -> None:
        w, a = self.w, party.address
        node = w.add(parent, name)
        if a.lines:
            w.opt(node, "cbc:StreetName", a.lines[0])
        if len(a.lines) > 1:
            w.opt(node, "cbc:AdditionalStreetName", a.lines[1])
        w.opt(node, "cbc:CityName", a.city)
        w.opt(node, "cbc:PostalZone", a.postcode)
        w.opt(node, "cbc:CountrySubentity", a.subdivision)
        if len(a.lines) > 2:
            w.add(w.add(node, "cac:AddressLine"), "cbc:Line", a.lines[2])
        w.add(w.add(node, "cac:Country"), "cbc:IdentificationCode", a.country)

    def party(self, parent: Element, party: Party, *, seller: bool) -> None:
        w = self.w
        node = w.add(parent, "cac:Party")
        if party.endpoint:
            w.add(node, "cbc:EndpointID", party.endpoint.identifier,
                  schemeID=party.endpoint.scheme)
        if party.identifier:
            w.add(w.add(node, "cac:PartyIdentification"), "cbc:ID", party.identifier)
        if party.trading_name:
            w.add(w.add(node, "cac:PartyName"), "cbc:Name", party.trading_name)
        self.address(node, "cac:PostalAddress", party)
        if party.vat_id:
            scheme = w.add(node, "cac:PartyTaxScheme")
            w.add(scheme, "cbc:CompanyID", party.vat_id)
            w.add(w.add(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
        if seller and party.tax_number:
            scheme = w.add(node, "cac:PartyTaxScheme")
            w.add(scheme, "cbc:CompanyID", party.tax_number)
            w.add(w.add(scheme, "cac:TaxScheme"), "cbc:ID", "FC")
        legal = w.add(node, "cac:PartyLegalEntity")
        w.add(legal, "cbc:RegistrationName", party.name)
        w.opt(legal, "cbc:CompanyID", party.legal_id)
        w.opt(legal, "cbc:CompanyLegalForm", party.legal_info)
        contact = party.contact
        if contact and (contact.name or contact.phone or contact.email):
            person = w.add(node, "cac:Contact")
            w.opt(person, "cbc:Name", contact.name)
            w.opt(person, "cbc:Telephone", contact.phone)
            w.opt(person, "cbc:ElectronicMail", contact.email)

    def delivery(self, root: Element) -> None:
        w, inv = self.w, self.inv
        intra = any(line.category is VatCategory.INTRA_EU for line in inv.lines)
        if not (inv.supply_date or intra):
            return
        node = w.add(root, "cac:Delivery")
        if inv.supply_date:
            w.add(node, "cbc:ActualDeliveryDate", iso(inv.supply_date))
        if intra:  # BR-IC-12: the country it was delivered to
            self.address(w.add(node, "cac:DeliveryLocation"), "cac:Address", inv.buyer)
            w.add(w.add(w.add(node, "cac:DeliveryParty"), "cac:PartyName"), "cbc:Name",
                  inv.buyer.name)

    def payment(self, root: Element) -> None:
        w, inv, pay = self.w, self.inv, self.inv.payment
        if pay is None:
            return
        node = w.add(root, "cac:PaymentMeans")
        w.add(node, "cbc:PaymentMeansCode", pay.means_code, name=pay.means_text)
        if self.credit and inv.due_date:
            w.add(node, "cbc:PaymentDueDate", iso(inv.due_date))
        w.opt(node, "cbc:PaymentID", pay.remittance)
        account = pay.iban or pay.account_number
        if account:
            payee = w.add(node, "cac:PayeeFinancialAccount")
            w.add(payee, "cbc:ID", account)
            w.opt(payee, "cbc:Name", pay.account_name)
            if pay.bic:
                w.add(w.add(payee, "cac:FinancialInstitutionBranch"), "cbc:ID", pay.bic)

    def category(self, parent: Element, name: str, category: VatCategory,
                 rate: Decimal | None, reason: tuple[str, str] = ("", "")) -> None:
        w = self.w
        node = w.add(parent, name)
        w.add(node, "cbc:ID", category.value)
        if rate is not None:
            w.add(node, "cbc:Percent", decimal_text(rate))
        w.opt(node, "cbc:TaxExemptionReasonCode", reason[1])
        w.opt(node, "cbc:TaxExemptionReason", reason[0])
        w.add(w.add(node, "cac:TaxScheme"), "cbc:ID", "VAT")

    def allowance_charge(self, root: Element, item: AllowanceCharge) -> None:
        w = self.w
        node = w.add(root, "cac:AllowanceCharge")
        w.add(node, "cbc:ChargeIndicator", "true" if item.charge else "false")
        w.opt(node, "cbc:AllowanceChargeReasonCode", item.reason_code)
        w.opt(node, "cbc:AllowanceChargeReason", item.reason)
        self.money(node, "cbc:Amount", item.amount)
        self.category(node, "cac:TaxCategory", item.category, item.rate)

    def tax_total(self, root: Element) -> None:
        node = self.w.add(root, "cac:TaxTotal")
        self.money(node, "cbc:TaxAmount", self.inv.tax_total)
        for band in self.inv.breakdown:
            sub = self.w.add(node, "cac:TaxSubtotal")
            self.money(sub, "cbc:TaxableAmount", band.taxable)
            self.money(sub, "cbc:TaxAmount", band.tax)
            rate = band.rate if band.rate is not None or not self.rate_always else ZERO
            self.category(sub, "cac:TaxCategory", band.category, rate,
                          (band.exemption_reason, band.exemption_code))

    def totals(self, root: Element) -> None:
        inv = self.inv
        node = self.w.add(root, "cac:LegalMonetaryTotal")
        self.money(node, "cbc:LineExtensionAmount", inv.line_total)
        self.money(node, "cbc:TaxExclusiveAmount", inv.tax_exclusive)
        self.money(node, "cbc:TaxInclusiveAmount", inv.tax_inclusive)
        if any(not a.charge for a in inv.allowances_charges):
            self.money(node, "cbc:AllowanceTotalAmount", inv.allowance_total)
        if any(a.charge for a in inv.allowances_charges):
            self.money(node, "cbc:ChargeTotalAmount", inv.charge_total)
        if inv.prepaid:
            self.money(node, "cbc:PrepaidAmount", inv.prepaid)
        self.money(node, "cbc:PayableAmount", inv.payable)

    def line(self, root: Element, line: Line) -> None:
        w = self.w
        node = w.add(root, "cac:CreditNoteLine" if self.credit else "cac:InvoiceLine")
        w.add(node, "cbc:ID", line.identifier)
        w.add(node, "cbc:CreditedQuantity" if self.credit else "cbc:InvoicedQuantity",
              decimal_text(line.quantity), unitCode=line.unit)
        self.money(node, "cbc:LineExtensionAmount", line.net_amount)
        if line.period:
            self.period(node, line.period)
        if line.allowance:
            charge = w.add(node, "cac:AllowanceCharge")
            w.add(charge, "cbc:ChargeIndicator", "false")
            w.add(charge, "cbc:AllowanceChargeReasonCode", "95")  # UNTDID 5189: discount
            w.opt(charge, "cbc:AllowanceChargeReason", line.allowance_reason)
            self.money(charge, "cbc:Amount", line.allowance)
        item = w.add(node, "cac:Item")
        w.opt(item, "cbc:Description", line.description)
        w.add(item, "cbc:Name", line.name)
        self.category(item, "cac:ClassifiedTaxCategory", line.category, line.rate)
        price = w.add(node, "cac:Price")
        w.add(price, "cbc:PriceAmount", decimal_text(line.price), currencyID=self.inv.currency)
