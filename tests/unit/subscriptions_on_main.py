"""Each service's handlers per event, in running order, as main (47af242) merged them at run
time from its modules and the runtime's shared pairs; the subscription tables must keep it."""

from __future__ import annotations

ON_MAIN: dict[str, dict[str, list[str]]] = {
    "intake": {
        "CaseAssigned": ["shared.auth.visibility.on_assigned"],
        "CaseClosed": ["services.intake.handlers.on_bank_facing_events"],
        "CaseReassigned": ["shared.auth.visibility.on_assigned"],
        "IncidentReported": ["services.intake.handlers.on_incident_reported"],
        "LetterDelivered": ["services.intake.handlers.on_bank_facing_events"],
        "PaymentPromised": ["services.intake.handlers.on_bank_facing_events"],
        "PromiseBroken": ["services.intake.handlers.on_bank_facing_events"],
        "PromiseKept": ["services.intake.handlers.on_bank_facing_events"],
    },
    "assignment": {
        "AgreementSaved": ["services.assignment.agencies.handlers.on_agreement_saved"],
        "BankAccessRevoked": ["shared.auth.revocation.on_revoked"],
        "CaseImported": [
            "shared.auth.visibility.on_imported",
            "services.assignment.handlers.on_cases_imported",
            "services.assignment.closing.handlers.on_imported",
        ],
        "CaseRecalled": ["services.assignment.closing.handlers.on_recalled"],
        "CaseUpdated": [
            "services.assignment.handlers.on_past_due_changed",
            "services.assignment.closing.handlers.on_updated",
        ],
        "ClientPurgeOrdered": ["shared.purge.handlers.on_purge_ordered"],
        "ContactAttempted": ["services.assignment.handlers.on_contact_attempted"],
        "FieldVisitReported": ["services.assignment.handlers.on_field_visit_reported"],
        "PaymentReceived": ["services.assignment.closing.handlers.on_payments"],
    },
    "contact": {
        "BankAccessRevoked": ["shared.auth.revocation.on_revoked"],
        "CaseAssigned": [
            "shared.auth.visibility.on_assigned",
            "services.contact.handlers.on_case_assigned",
        ],
        "CaseImported": [
            "shared.auth.visibility.on_imported",
            "services.contact.handlers.on_case_imported",
        ],
        "CaseReassigned": [
            "shared.auth.visibility.on_assigned",
            "services.contact.handlers.on_case_reassigned",
        ],
        "CaseUpdated": ["services.contact.handlers.on_case_updated"],
        "ClientPurgeOrdered": ["shared.purge.handlers.on_purge_ordered"],
        "FieldVisitOrdered": ["services.contact.field_visits.handlers.on_field_visit_ordered"],
        "PaymentReceived": ["services.contact.promises.handlers.on_payment_received"],
        "WorkdayCalendarLoaded": [
            "shared.workdays.tables.on_calendar_loaded",
            "services.contact.attempts.claims.recount_rechecks",
        ],
    },
    "letters": {
        "BankAccessRevoked": ["shared.auth.revocation.on_revoked"],
        "CaseAssigned": [
            "shared.auth.visibility.on_assigned",
            "services.letters.handlers.on_case_assigned",
        ],
        "CaseImported": [
            "shared.auth.visibility.on_imported",
            "services.letters.handlers.on_case_imported",
            "services.letters.waiting.release",
        ],
        "CaseReassigned": [
            "shared.auth.visibility.on_assigned",
            # added since main: letters' copy follows a handover (it kept the first collector)
            "services.letters.handlers.on_case_assigned",
        ],
        "CaseUpdated": ["services.letters.handlers.on_case_updated"],
        "ClientPurgeOrdered": ["shared.purge.handlers.on_purge_ordered"],
        "ContactAttempted": ["services.letters.handlers.on_contact_attempted"],
        "PaymentPromised": ["services.letters.handlers.on_payment_promised"],
        "PaymentReceived": ["services.letters.handlers.on_payment_received"],
        "WorkdayCalendarLoaded": [
            "shared.workdays.tables.on_calendar_loaded",
            "services.letters.dispatch.service.recount_estimated_deadlines",
        ],
    },
    "reporting": {
        "AgencyPlacementRejected": [
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "AgencyPlacementRequested": [
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "AgencyRegistered": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "AgreementSaved": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "ApprovalGranted": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "ApprovalRejected": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "ApprovalRequested": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "BankAccessRevoked": [
            "shared.auth.revocation.on_revoked",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "CaseAssigned": [
            "shared.auth.visibility.on_assigned",
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.cases.attribute_payments",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "CaseClosed": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "CaseCostRecorded": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "CaseImported": [
            "shared.auth.visibility.on_imported",
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "CasePlacedWithAgency": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "CaseReassigned": [
            "shared.auth.visibility.on_assigned",
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.cases.attribute_payments",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "CaseRecalled": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "CaseRecalledFromAgency": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "CaseUpdated": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "ClientPurgeOrdered": [
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
            "shared.purge.handlers.on_purge_ordered",
        ],
        "CollectorUpdated": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "ContactAttempted": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "ContactDetailsChanged": [
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "DisputeRaised": [
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "DisputeResolved": [
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "FieldVisitCompleted": [
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "FieldVisitOrdered": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "FieldVisitReported": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "FieldVisitSignedOff": [
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "ImportCompleted": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "IncidentLogged": [
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "IncidentReported": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "IncidentResolved": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "LetterDelivered": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "LetterDispatched": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "LetterIssued": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "PaymentPromised": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "PaymentReceived": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.cases.attribute_payments",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "PromiseBroken": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "PromiseKept": [
            "services.reporting.readmodel.writes.handle",
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
        ],
        "WorkdayCalendarLoaded": [
            "services.reporting.readmodel.handlers.tally",
            "services.reporting.readmodel.writes.handle",
            "shared.workdays.tables.on_calendar_loaded",
        ],
    },
}
