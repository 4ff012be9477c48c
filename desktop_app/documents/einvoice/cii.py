"""UN/CEFACT Cross Industry Invoice (D16B) as EN 16931 binds it: Factur-X / ZUGFeRD profile
EN 16931 and XRechnung 3.0 CII differ only in their specification identifier."""

from __future__ import annotations

from decimal import Decimal

from desktop_app.documents.einvoice.model import (
    AllowanceCharge,
    EInvoice,
    Line,
    Party,
    VatCategory,
    amount_text,
    decimal_text,
)
from desktop_app.documents.einvoice.terms import terms_description
from desktop_app.documents.einvoice.xml import Element, Writer, compact
from desktop_app.domain.money import ZERO

NAMESPACES = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}


def write_cii(invoice: EInvoice, *, guideline: str, business_process: str = "",
              skonto: bool = False, rate_always: bool = False) -> bytes:
    """``rate_always``: every VAT breakdown names a rate, 0 for O (XRechnung BR-DE-14)."""
    return _Cii(invoice, rate_always).document(guideline, business_process, skonto)


class _Cii:
    def __init__(self, invoice: EInvoice, rate_always: bool = False) -> None:
        self.inv = invoice
        self.rate_always = rate_always
        self.w = Writer(NAMESPACES)

    def money(self, value: Decimal) -> str:
        return amount_text(value, self.inv.currency)

    def date(self, parent: Element, name: str, day: object, qualified: bool = False) -> None:
        node = self.w.add(parent, name)
        self.w.add(node, "qdt:DateTimeString" if qualified else "udt:DateTimeString",
                   compact(day), format="102")  # type: ignore[arg-type]

    def document(self, guideline: str, business_process: str, skonto: bool) -> bytes:
        w, inv = self.w, self.inv
        root = w.root("rsm:CrossIndustryInvoice")
        context = w.add(root, "rsm:ExchangedDocumentContext")
        if business_process:
            w.add(w.add(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"),
                  "ram:ID", business_process)
        w.add(w.add(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID",
              guideline)
        head = w.add(root, "rsm:ExchangedDocument")
        w.add(head, "ram:ID", inv.number)
        w.add(head, "ram:TypeCode", inv.kind.value)
        self.date(head, "ram:IssueDateTime", inv.issue_date)
        for note in inv.notes:
            w.opt(w.add(head, "ram:IncludedNote"), "ram:Content", note)
        trade = w.add(root, "rsm:SupplyChainTradeTransaction")
        for line in inv.lines:
            self.line(trade, line)
        self.agreement(trade)
        self.delivery(trade)
        self.settlement(trade, skonto)
        return w.serialize(root)

    # --- lines ------------------------------------------------------------------------------
    def line(self, trade: Element, line: Line) -> None:
        w = self.w
        item = w.add(trade, "ram:IncludedSupplyChainTradeLineItem")
        w.add(w.add(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", line.identifier)
        product = w.add(item, "ram:SpecifiedTradeProduct")
        w.add(product, "ram:Name", line.name)
        w.opt(product, "ram:Description", line.description)
        agreement = w.add(item, "ram:SpecifiedLineTradeAgreement")
        w.add(w.add(agreement, "ram:NetPriceProductTradePrice"), "ram:ChargeAmount",
              decimal_text(line.price))
        w.add(w.add(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity",
              decimal_text(line.quantity), unitCode=line.unit)
        settlement = w.add(item, "ram:SpecifiedLineTradeSettlement")
        self.tax(settlement, line.category, line.rate)
        if line.period:
            self.period(settlement, line.period)
        if line.allowance:
            charge = w.add(settlement, "ram:SpecifiedTradeAllowanceCharge")
            w.add(w.add(charge, "ram:ChargeIndicator"), "udt:Indicator", "false")
            w.add(charge, "ram:ActualAmount", self.money(line.allowance))
            w.add(charge, "ram:ReasonCode", "95")  # UNTDID 5189: discount
            w.opt(charge, "ram:Reason", line.allowance_reason)
        w.add(w.add(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation"),
              "ram:LineTotalAmount", self.money(line.net_amount))

    def tax(self, parent: Element, category: VatCategory, rate: Decimal | None,
            name: str = "ram:ApplicableTradeTax") -> None:
        tax = self.w.add(parent, name)
        self.w.add(tax, "ram:TypeCode", "VAT")
        self.w.add(tax, "ram:CategoryCode", category.value)
        if rate is not None:
            self.w.add(tax, "ram:RateApplicablePercent", decimal_text(rate))

    def period(self, parent: Element, period: tuple) -> None:
        node = self.w.add(parent, "ram:BillingSpecifiedPeriod")
        self.date(node, "ram:StartDateTime", period[0])
        self.date(node, "ram:EndDateTime", period[1])

    # --- header -----------------------------------------------------------------------------
    def agreement(self, trade: Element) -> None:
        w, inv = self.w, self.inv
        node = w.add(trade, "ram:ApplicableHeaderTradeAgreement")
        w.opt(node, "ram:BuyerReference", inv.buyer_reference)
        self.party(node, "ram:SellerTradeParty", inv.seller, seller=True)
        self.party(node, "ram:BuyerTradeParty", inv.buyer, seller=False)
        if inv.order_reference:
            w.add(w.add(node, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID",
                  inv.order_reference)

    def party(self, parent: Element, name: str, party: Party, *, seller: bool) -> None:
        w = self.w
        node = w.add(parent, name)
        w.opt(node, "ram:ID", party.identifier)
        w.add(node, "ram:Name", party.name)
        w.opt(node, "ram:Description", party.legal_info)
        if party.legal_id or party.trading_name:
            legal = w.add(node, "ram:SpecifiedLegalOrganization")
            w.opt(legal, "ram:ID", party.legal_id)
            w.opt(legal, "ram:TradingBusinessName", party.trading_name)
        contact = party.contact
        if contact and (contact.name or contact.phone or contact.email):
            person = w.add(node, "ram:DefinedTradeContact")
            w.opt(person, "ram:PersonName", contact.name)
            if contact.phone:
                w.add(w.add(person, "ram:TelephoneUniversalCommunication"),
                      "ram:CompleteNumber", contact.phone)
            if contact.email:
                w.add(w.add(person, "ram:EmailURIUniversalCommunication"), "ram:URIID",
                      contact.email)
        address = w.add(node, "ram:PostalTradeAddress")
        a = party.address
        w.opt(address, "ram:PostcodeCode", a.postcode)
        for tag, text in zip(("ram:LineOne", "ram:LineTwo", "ram:LineThree"), a.lines,
                             strict=False):
            w.opt(address, tag, text)
        w.opt(address, "ram:CityName", a.city)
        w.add(address, "ram:CountryID", a.country)
        w.opt(address, "ram:CountrySubDivisionName", a.subdivision)
        if party.endpoint:
            w.add(w.add(node, "ram:URIUniversalCommunication"), "ram:URIID",
                  party.endpoint.identifier, schemeID=party.endpoint.scheme)
        if party.vat_id:
            w.add(w.add(node, "ram:SpecifiedTaxRegistration"), "ram:ID", party.vat_id,
                  schemeID="VA")
        if seller and party.tax_number:
            w.add(w.add(node, "ram:SpecifiedTaxRegistration"), "ram:ID", party.tax_number,
                  schemeID="FC")

    def delivery(self, trade: Element) -> None:
        w, inv = self.w, self.inv
        node = w.add(trade, "ram:ApplicableHeaderTradeDelivery")
        if any(line.category is VatCategory.INTRA_EU for line in inv.lines):
            # BR-IC-12: an intra-Community supply names the country it was delivered to.
            ship = w.add(node, "ram:ShipToTradeParty")
            w.add(ship, "ram:Name", inv.buyer.name)
            address = w.add(ship, "ram:PostalTradeAddress")
            w.opt(address, "ram:PostcodeCode", inv.buyer.address.postcode)
            for tag, text in zip(("ram:LineOne", "ram:LineTwo", "ram:LineThree"),
                                 inv.buyer.address.lines, strict=False):
                w.opt(address, tag, text)
            w.opt(address, "ram:CityName", inv.buyer.address.city)
            w.add(address, "ram:CountryID", inv.buyer.address.country)
        if inv.supply_date:
            event = w.add(node, "ram:ActualDeliverySupplyChainEvent")
            self.date(event, "ram:OccurrenceDateTime", inv.supply_date)

    def settlement(self, trade: Element, skonto: bool) -> None:
        w, inv = self.w, self.inv
        node = w.add(trade, "ram:ApplicableHeaderTradeSettlement")
        pay = inv.payment
        if pay is not None:
            w.opt(node, "ram:PaymentReference", pay.remittance)
        w.add(node, "ram:InvoiceCurrencyCode", inv.currency)
        if pay is not None:
            means = w.add(node, "ram:SpecifiedTradeSettlementPaymentMeans")
            w.add(means, "ram:TypeCode", pay.means_code)
            w.opt(means, "ram:Information", pay.means_text)
            account = pay.iban or pay.account_number
            if account:
                creditor = w.add(means, "ram:PayeePartyCreditorFinancialAccount")
                w.opt(creditor, "ram:IBANID", pay.iban)
                w.opt(creditor, "ram:AccountName", pay.account_name)
                if not pay.iban:
                    w.add(creditor, "ram:ProprietaryID", pay.account_number)
                if pay.bic:
                    w.add(w.add(means, "ram:PayeeSpecifiedCreditorFinancialInstitution"),
                          "ram:BICID", pay.bic)
        for band in inv.breakdown:
            tax = w.add(node, "ram:ApplicableTradeTax")
            w.add(tax, "ram:CalculatedAmount", self.money(band.tax))
            w.add(tax, "ram:TypeCode", "VAT")
            w.opt(tax, "ram:ExemptionReason", band.exemption_reason)
            w.add(tax, "ram:BasisAmount", self.money(band.taxable))
            w.add(tax, "ram:CategoryCode", band.category.value)
            w.opt(tax, "ram:ExemptionReasonCode", band.exemption_code)
            rate = band.rate if band.rate is not None or not self.rate_always else ZERO
            if rate is not None:
                w.add(tax, "ram:RateApplicablePercent", decimal_text(rate))
        if inv.period:
            self.period(node, inv.period)
        for item in inv.allowances_charges:
            self.allowance_charge(node, item)
        text = terms_description(inv, skonto=skonto)
        if text or inv.due_date:
            terms = w.add(node, "ram:SpecifiedTradePaymentTerms")
            w.opt(terms, "ram:Description", text)
            if inv.due_date:
                self.date(terms, "ram:DueDateDateTime", inv.due_date)
        sums = w.add(node, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
        w.add(sums, "ram:LineTotalAmount", self.money(inv.line_total))
        if any(a.charge for a in inv.allowances_charges):
            w.add(sums, "ram:ChargeTotalAmount", self.money(inv.charge_total))
        if any(not a.charge for a in inv.allowances_charges):
            w.add(sums, "ram:AllowanceTotalAmount", self.money(inv.allowance_total))
        w.add(sums, "ram:TaxBasisTotalAmount", self.money(inv.tax_exclusive))
        w.add(sums, "ram:TaxTotalAmount", self.money(inv.tax_total), currencyID=inv.currency)
        w.add(sums, "ram:GrandTotalAmount", self.money(inv.tax_inclusive))
        if inv.prepaid:
            w.add(sums, "ram:TotalPrepaidAmount", self.money(inv.prepaid))
        w.add(sums, "ram:DuePayableAmount", self.money(inv.payable))
        for ref in inv.preceding:
            doc = w.add(node, "ram:InvoiceReferencedDocument")
            w.add(doc, "ram:IssuerAssignedID", ref.number)
            if ref.issue_date:
                self.date(doc, "ram:FormattedIssueDateTime", ref.issue_date, qualified=True)

    def allowance_charge(self, parent: Element, item: AllowanceCharge) -> None:
        w = self.w
        node = w.add(parent, "ram:SpecifiedTradeAllowanceCharge")
        w.add(w.add(node, "ram:ChargeIndicator"), "udt:Indicator",
              "true" if item.charge else "false")
        w.add(node, "ram:ActualAmount", self.money(item.amount))
        w.opt(node, "ram:ReasonCode", item.reason_code)
        w.opt(node, "ram:Reason", item.reason)
        self.tax(node, item.category, item.rate, "ram:CategoryTradeTax")
