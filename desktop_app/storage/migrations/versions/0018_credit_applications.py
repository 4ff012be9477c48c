"""Credit applications: a customer's request for credit with its references called, its
documents (financial statements, credit reports) and the decision with its limit, terms,
who decided and when it is reviewed.

Customers already in the books keep their standing: they are marked as decided (credit
granted, as they had it), with no application, so that nothing they could be invoiced
before changes. Only customers added from now on start undecided (the services set the
flag; the server default is for the rows that exist). A plain ADD COLUMN: SQLite rebuilds
no table.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

MINOR = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("customers", sa.Column("credit_granted", sa.Boolean(), nullable=False,
                                         server_default=sa.true()))
    op.create_table(
        "credit_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.Column("limit_minor", MINOR, nullable=True),
        sa.Column("terms_name", sa.String(length=100), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_credit_applications_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_applications")),
    )
    op.create_index(op.f("ix_credit_applications_customer_id"), "credit_applications",
                    ["customer_id"])
    op.create_table(
        "credit_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=False),
        sa.Column("person", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=64), nullable=False),
        sa.Column("said", sa.Text(), nullable=False),
        sa.Column("called_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["credit_applications.id"],
            name=op.f("fk_credit_references_application_id_credit_applications")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_references")),
    )
    op.create_index(op.f("ix_credit_references_application_id"), "credit_references",
                    ["application_id"])
    op.create_table(
        "credit_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["credit_applications.id"],
            name=op.f("fk_credit_documents_application_id_credit_applications")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_documents")),
    )
    op.create_index(op.f("ix_credit_documents_application_id"), "credit_documents",
                    ["application_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_credit_documents_application_id"), table_name="credit_documents")
    op.drop_table("credit_documents")
    op.drop_index(op.f("ix_credit_references_application_id"), table_name="credit_references")
    op.drop_table("credit_references")
    op.drop_index(op.f("ix_credit_applications_customer_id"),
                  table_name="credit_applications")
    op.drop_table("credit_applications")
    op.drop_column("customers", "credit_granted")
