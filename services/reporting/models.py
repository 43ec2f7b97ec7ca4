"""Reporting's tables: the read models (rebuilt at will from the topics), the working-day
calendar copy, and what reporting owns itself — submitted report snapshots and their reviews."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Table, Text

from services.reporting.readmodel.tables import read_model_tables
from shared.auth.tables import security_tables
from shared.bus.tables import bus_tables
from shared.db import service_model_base
from shared.purge.runs import purge_runs_table
from shared.workdays.tables import workday_table

ReportingTable = service_model_base("Reporting")
METADATA = ReportingTable.metadata
BUS = bus_tables(METADATA)
SECURITY = security_tables(METADATA)
PURGE_RUNS = purge_runs_table(METADATA)
LIVE = read_model_tables(METADATA)
WORKDAYS = workday_table(METADATA)

SUBMISSIONS = Table(
    "report_submissions",
    METADATA,
    Column("submission_id", String(36), primary_key=True),
    Column("report", String(30), nullable=False),
    Column("period", String(30), nullable=False),
    Column("period_start", String(10), nullable=False),
    Column("subject_id", String(36), nullable=False, index=True),
    Column("team_id", String(36)),
    Column("branch_id", String(36)),
    Column("submitted_by", String(36), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("remarks", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("body_sha256", String(64), nullable=False),
    Column("status", String(12), nullable=False),
    Column("version", Integer, nullable=False),
)

REVIEWS = Table(
    "report_reviews",
    METADATA,
    Column("review_id", String(36), primary_key=True),
    Column("submission_id", String(36), nullable=False, index=True),
    Column("reviewer_id", String(36), nullable=False),
    Column("reviewer_role", String(20), nullable=False),
    Column("decision", String(10), nullable=False),
    Column("note", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
