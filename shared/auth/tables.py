"""Tables every service keeps for security: its copy of case ownership, its audit trail,
and the banks' API keys revoked since (whose bank tokens it refuses)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, MetaData, String, Table


@dataclass(frozen=True)
class SecurityTables:
    case_visibility: Table
    audit_log: Table
    revoked_bank_keys: Table


def security_tables(metadata: MetaData) -> SecurityTables:
    visibility = Table(
        "case_visibility",
        metadata,
        Column("case_id", String(36), primary_key=True),
        Column("client_id", String(64), nullable=True, index=True),
        Column("collector_id", String(36), nullable=True, index=True),
        Column("team_id", String(64), nullable=True),
        Column("branch_id", String(64), nullable=True),
    )
    audit = Table(
        "audit_log",
        metadata,
        Column(
            "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("subject", String(64), nullable=False),
        Column("subject_kind", String(10), nullable=False),
        Column("role", String(32), nullable=True),
        Column("action", String(10), nullable=False),
        Column("method", String(10), nullable=False),
        Column("path", String(500), nullable=False),
        Column("case_id", String(36), nullable=True),
        Column("client_id", String(64), nullable=True),
        Column("outcome", String(20), nullable=False),
        Column("source_ip", String(64), nullable=True),
        Column("correlation_id", String(128), nullable=True),
        Index("ix_audit_case", "case_id", "at"),
        Index("ix_audit_subject", "subject", "at"),
    )
    revoked = Table(
        "revoked_bank_keys",
        metadata,
        Column("key_id", String(36), primary_key=True),
        Column("client_id", String(64), nullable=False),
        Column("revoked_at", DateTime(timezone=True), nullable=False),
    )
    return SecurityTables(case_visibility=visibility, audit_log=audit, revoked_bank_keys=revoked)
