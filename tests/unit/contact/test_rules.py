"""Every contact rule at its edges, in both shipped profiles."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.contact.rules.domain import (
    PastAttempt,
    Proposal,
    Situation,
    decide,
    suggested_call_at,
)
from services.contact.rules.profiles import CN_DEFAULT, US_REGULATION_F, RuleProfile, profile_for

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHICAGO = ZoneInfo("America/Chicago")
PROFILES = [CN_DEFAULT, US_REGULATION_F]
CALL = Proposal(channel="phone", party="debtor", number="+8613800138000")


def local(day: int, hour: int, minute: int = 0, second: int = 0, tz: ZoneInfo = SHANGHAI):
    """A moment in November 2026 on the debtor's clock, as UTC."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=tz).astimezone(UTC)


def calls(*moments: datetime, conversation: bool = False) -> tuple[PastAttempt, ...]:
    return tuple(PastAttempt(at=m, channel="phone", party="debtor", conversation=conversation)
                 for m in moments)  # fmt: skip


def situation(**facts) -> Situation:
    return Situation(timezone=facts.pop("timezone", SHANGHAI), **facts)


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (local(23, 20, 59, 59), True),
        (local(23, 21, 0), False),
        (local(24, 7, 59, 59), False),
        (local(24, 8, 0), True),
    ],
)
def test_quiet_hours_start_at_21_and_end_at_08_local(
    profile: RuleProfile, moment: datetime, allowed: bool
) -> None:
    decision = decide(profile, situation(), CALL, moment)
    assert decision.allowed is allowed
    if not allowed:
        assert decision.rules == ["quiet_hours"]
        assert decision.next_allowed_at == local(24, 8, 0)


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_a_debtor_in_another_time_zone_is_called_by_their_clock(profile: RuleProfile) -> None:
    moment = local(23, 10, 0)  # 10:00 in Shanghai is 20:00 the evening before in Chicago
    assert decide(profile, situation(), CALL, moment).allowed
    in_chicago = situation(timezone=CHICAGO)
    assert decide(profile, in_chicago, CALL, moment).allowed
    late = local(23, 11, 0)  # 21:00 in Chicago
    decision = decide(profile, in_chicago, CALL, late)
    assert decision.rules == ["quiet_hours"]
    assert decision.next_allowed_at == local(23, 8, 0, tz=CHICAGO)


def test_letters_and_emails_are_not_held_to_quiet_hours() -> None:
    night = local(23, 23, 0)
    for channel in ("letter", "email"):
        assert decide(CN_DEFAULT, situation(), Proposal(channel, "debtor"), night).allowed


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_the_call_after_the_seven_day_cap_is_refused_until_the_oldest_leaves(
    profile: RuleProfile,
) -> None:
    cap = profile.max_per_7_days
    assert cap is not None
    spread = [local(17 + i % 7, 9 + i // 7) for i in range(cap)]  # days 17..23, under any daily cap
    now = local(23, 18, 0)
    history = situation(attempts=calls(*spread[:-1]))
    assert decide(profile, history, CALL, now).allowed, f"call {cap} is allowed"
    full = situation(attempts=calls(*spread))
    decision = decide(profile, full, CALL, now)
    assert "seven_day_cap" in decision.rules, f"call {cap + 1} in 7 days is refused"
    assert decision.next_allowed_at == local(24, 8, 0), "the day-17 call leaves on day 24"


def test_us_eighth_call_in_seven_days_is_refused_and_calls_a_week_ago_do_not_count() -> None:
    week = calls(*(local(d, 10) for d in range(17, 24)))
    assert len(week) == 7
    assert decide(US_REGULATION_F, situation(attempts=week), CALL, local(23, 12)).rules == [
        "seven_day_cap"
    ]
    shifted = calls(*(local(d, 10) for d in range(16, 23)))
    assert decide(US_REGULATION_F, situation(attempts=shifted), CALL, local(23, 12)).allowed


def test_cn_daily_cap_and_its_reset_at_local_midnight_then_quiet_hours() -> None:
    today = calls(local(23, 9), local(23, 10), local(23, 11))
    decision = decide(CN_DEFAULT, situation(attempts=today), CALL, local(23, 12))
    assert decision.rules == ["daily_cap"]
    assert decision.next_allowed_at == local(24, 8, 0)
    two = situation(attempts=today[:2])
    assert decide(CN_DEFAULT, two, CALL, local(23, 12)).allowed


def test_caps_count_only_outbound_calls_to_the_same_party() -> None:
    others = (
        PastAttempt(local(23, 9), "phone", "debtor", direction="inbound"),
        PastAttempt(local(23, 9), "sms", "debtor"),
        PastAttempt(local(23, 9), "phone", "guarantor"),
    ) * 3
    assert decide(CN_DEFAULT, situation(attempts=others), CALL, local(23, 12)).allowed


@pytest.mark.parametrize(
    ("days_ago", "allowed"), [(6, False), (7, True)], ids=["6 days ago", "7 days ago"]
)
def test_us_no_call_within_seven_days_after_a_conversation(days_ago: int, allowed: bool) -> None:
    now = local(23, 12)
    spoken = situation(attempts=calls(now - timedelta(days=days_ago), conversation=True))
    decision = decide(US_REGULATION_F, spoken, CALL, now)
    assert decision.allowed is allowed
    if not allowed:
        assert decision.rules == ["conversation_cooldown"]
        assert decision.next_allowed_at == local(24, 8, 0)


def test_cn_has_no_conversation_cooldown_and_an_unanswered_call_starts_none() -> None:
    now = local(23, 12)
    yesterday = calls(now - timedelta(days=1), conversation=True)
    assert decide(CN_DEFAULT, situation(attempts=yesterday), CALL, now).allowed
    unanswered = calls(now - timedelta(days=1))
    assert decide(US_REGULATION_F, situation(attempts=unanswered), CALL, now).allowed


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_nobody_the_case_does_not_name_may_be_contacted(profile: RuleProfile) -> None:
    named = situation(named_contacts=frozenset({"李四"}))
    now = local(23, 12)
    stranger = decide(profile, named, Proposal("phone", "contact", contact_name="王五"), now)
    assert stranger.rules == ["unnamed_third_party"] and stranger.next_allowed_at is None
    assert decide(profile, named, Proposal("phone", "contact"), now).rules == [
        "unnamed_third_party"
    ]
    assert decide(profile, named, Proposal("phone", "guarantor"), now).disclosure == "full"


def test_cn_collects_only_from_the_debtor_and_the_guarantor() -> None:
    named = situation(named_contacts=frozenset({"李四"}))
    now = local(23, 12)
    for channel in ("phone", "sms", "letter", "field_visit"):
        decision = decide(CN_DEFAULT, named, Proposal(channel, "contact", contact_name="李四"), now)
        assert decision.rules == ["third_party"], channel
        assert decision.next_allowed_at is None and decision.disclosure == "none"
    assert decide(CN_DEFAULT, named, Proposal("phone", "guarantor"), now).allowed
    called_in = Proposal("phone", "contact", direction="inbound", contact_name="李四")
    assert decide(CN_DEFAULT, named, called_in, now).allowed, "a contact who calls in is logged"


def test_regulation_f_allows_named_contacts_for_location_only() -> None:
    named = situation(named_contacts=frozenset({"李四"}))
    proposal = Proposal("phone", "contact", number="+12125550100", contact_name="李四")
    decision = decide(US_REGULATION_F, named, proposal, local(23, 12))
    assert decision.allowed and decision.disclosure == "location_only"


@pytest.mark.parametrize(
    "number",
    ["13800138000", "+86 138 0013 8000", "0086-13800138000", "010-62345678", "0755 2345 6789",
     "021-5432109", "+86 21 54321098"],
)  # fmt: skip
def test_cn_dials_only_mainland_mobiles_and_landlines(number: str) -> None:
    assert decide(CN_DEFAULT, situation(), Proposal("phone", "debtor", number=number),
                  local(23, 12)).allowed  # fmt: skip


@pytest.mark.parametrize(
    "number", ["12345", "1380013800", "138001380001", "12800138000", "010-1234567", "0755-0234567",
               "+1 212 555 0100", "abc", "110"],
)  # fmt: skip
def test_a_malformed_number_is_blocked_under_cn(number: str) -> None:
    for channel in ("phone", "sms", "fax"):
        decision = decide(CN_DEFAULT, situation(), Proposal(channel, "debtor", number=number),
                          local(23, 12))  # fmt: skip
        assert decision.rules == ["invalid_number"], (number, channel)
        assert number in decision.blocks[0].detail


def test_other_profiles_dial_numbers_in_e164_form() -> None:
    now = local(23, 12, tz=CHICAGO)
    in_chicago = situation(timezone=CHICAGO)
    for number in ("+1 212 555 0100", "+8613800138000", "+44 20 7946 0958"):
        assert decide(US_REGULATION_F, in_chicago, Proposal("phone", "debtor", number=number),
                      now).allowed, number  # fmt: skip
    for number in ("2125550100", "12345", "+0123456789"):
        decision = decide(US_REGULATION_F, in_chicago,
                          Proposal("phone", "debtor", number=number), now)  # fmt: skip
        assert decision.rules == ["invalid_number"], number
    address = Proposal("letter", "debtor", number="12 W 4th St")
    assert decide(US_REGULATION_F, in_chicago, address, now).allowed, "an address is no number"


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_an_open_dispute_a_cease_request_and_a_do_not_call_number_block_without_end(
    profile: RuleProfile,
) -> None:
    now = local(23, 12)
    disputed = decide(profile, situation(dispute_open=True), CALL, now)
    assert disputed.rules == ["dispute_open"] and disputed.next_allowed_at is None
    ceased = decide(profile, situation(cease_requested=True), CALL, now)
    assert ceased.rules == ["cease_request"]
    barred = situation(do_not_call=frozenset({"+8613800138000"}))
    assert decide(profile, barred, CALL, now).rules == ["do_not_call"]
    other_number = Proposal("phone", "debtor", number="+8613900139000")
    assert decide(profile, barred, other_number, now).allowed


def test_a_debtor_calling_in_is_not_held_to_outbound_limits() -> None:
    inbound = Proposal("phone", "debtor", direction="inbound")
    night = local(23, 23)
    assert decide(US_REGULATION_F, situation(dispute_open=True), inbound, night).allowed


def test_several_blocks_are_all_named_and_the_next_time_satisfies_them_all() -> None:
    week = calls(*(local(d, 10) for d in range(17, 24)))
    decision = decide(US_REGULATION_F, situation(attempts=week), CALL, local(23, 22))
    assert set(decision.rules) == {"quiet_hours", "seven_day_cap"}
    assert decision.next_allowed_at == local(24, 8, 0)


def test_suggested_call_is_a_quarter_hour_before_the_working_day_when_allowed() -> None:
    start = time(9, 0)
    assert suggested_call_at(CN_DEFAULT, situation(), CALL, local(23, 12), start) == local(
        24, 8, 45
    )
    assert suggested_call_at(CN_DEFAULT, situation(), CALL, local(23, 6), start) == local(23, 8, 45)
    early = time(8, 0)
    assert suggested_call_at(CN_DEFAULT, situation(), CALL, local(23, 6), early) == local(23, 8, 0)


def test_profiles_by_client_and_product() -> None:
    table = {"BANK-US": "us_regulation_f", "BANK-A/card": "us_regulation_f"}
    assert profile_for(table, "cn_default", "BANK-US", None) is US_REGULATION_F
    assert profile_for(table, "cn_default", "BANK-A", "card") is US_REGULATION_F
    assert profile_for(table, "cn_default", "BANK-A", "loan") is CN_DEFAULT


def test_the_daily_cap_counts_the_debtors_calls_on_their_other_cases_too() -> None:
    here, elsewhere = calls(local(23, 9)), calls(local(23, 10), local(23, 11))
    blocked = decide(CN_DEFAULT, situation(attempts=here, debtor_elsewhere=elsewhere), CALL,
                     local(23, 15))  # fmt: skip
    assert blocked.rules == ["daily_cap"]
    assert "2 on the debtor's other cases" in blocked.blocks[0].detail
    assert blocked.next_allowed_at == local(24, 8, 0), "midnight, then quiet hours until 08:00"
    yesterday = calls(local(22, 10), local(22, 11))
    fresh = situation(attempts=here, debtor_elsewhere=yesterday)
    assert decide(CN_DEFAULT, fresh, CALL, local(23, 15)).allowed
    guarantor = Proposal(channel="phone", party="guarantor")
    assert decide(CN_DEFAULT, situation(debtor_elsewhere=elsewhere * 2), guarantor,
                  local(23, 15)).allowed, "another party's cap is their own"  # fmt: skip


def test_a_case_standing_still_blocks_contact_until_someone_changes_it() -> None:
    decision = decide(CN_DEFAULT, situation(standing=("not_owed",)), CALL, local(23, 10))
    assert decision.rules == ["case_not_owed"] and decision.next_allowed_at is None
