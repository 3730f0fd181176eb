"""Every tunable number of the generator, in one place.

``RATES`` holds the planted-messiness rates (documented in docs/generator.md; the tests read them
from here).  ``BTYD`` holds the population parameters of the latent buying process.  Everything
else is volume / shape tuning.
"""

from __future__ import annotations

# Persons are generated in fixed-size chunks; each chunk gets its own seeded random streams and
# becomes one Parquet part per table.  The chunk size is part of the output's identity: changing
# it changes the data, so it is a constant (the CLI exposes it only as an expert option).
CHUNK_SIZE = 25_000

# Parquet writer options, fixed for byte-identical reruns.
PARQUET_OPTIONS = {
    "compression": "zstd",
    "compression_level": 1,
    "row_group_size": 1_048_576,
    "use_dictionary": True,
    "write_statistics": True,
    "store_schema": False,
    "version": "2.6",
}

# Number of products in the catalogue (independent of the number of customers).
N_PRODUCTS = 3_000

# ---------------------------------------------------------------------------------------------
# Latent buying process (BG/NBD + Gamma-Gamma), see /work/shared/REALISM.md.
#   purchase rate while alive   lambda ~ Gamma(shape=r, rate=alpha)          (orders per day)
#   drop-out after each repeat   p      ~ Beta(a, b)
#   spend per order (USD)        z_ij ~ Gamma(shape=p, rate=nu_i), nu_i ~ Gamma(shape=q, rate=gamma)
# Time is "operational days": seasonality warps it onto the calendar (mean intensity 1).
BTYD = {
    "r": 0.24,
    "alpha": 2.8,
    "a": 0.8,
    "b": 7.0,
    "p": 4.0,
    "q": 4.5,
    "gamma": 60.0,
}

# Share of persons who are prospects (browse, may sign up, never order).
PROSPECT_SHARE = 0.10
# Share of buyers whose first order falls in the first weeks ("launch" cohort); the rest are
# acquired over the window with a density that decays towards the as-of date.
LAUNCH_COHORT_SHARE = 0.30
LAUNCH_COHORT_DAYS = 30
# A buyer who dropped out at least this many days before the as-of date is labelled lapsed.
LAPSED_AFTER_DAYS = 180
# Loyal: alive at as-of, at least this many orders, purchase rate above this (orders/day).
LOYAL_MIN_ORDERS = 8
LOYAL_MIN_RATE = 0.05
# Product preference traits among buyers (drive product choice; give the profile label when no
# stronger label applies).
PREFERENCE_SHARES = {"none": 0.74, "bargain": 0.15, "new_arrival": 0.11}
# Planted experiment effects (issue 16): for the units of persons with this preference, the arm
# depends on whether the person orders within EXPERIMENT_CONVERSION_DAYS of the assignment, balanced
# so that both arms keep their expected size; the readout then sees the treatment lift their
# conversion by this relative amount (treatment rate / control rate - 1), and nobody else's. The
# orders are simulated before the experiments, so an outcome-dependent arm is how a causal effect is
# planted here. An empty dict plants none.
EXPERIMENT_EFFECTS = {
    "exp_free_shipping_banner": {"variant": "banner", "preference": "bargain", "relative_lift": 0.5},
}
EXPERIMENT_CONVERSION_DAYS = 14  # the readout's var experiment_conversion_window_days
# Planted behaviour shift (issue 16's drift audit): with `--behaviour-shift-from DATE`, the orders of
# this preference's holders from that date on trade up: their spend target is multiplied by
# spend_factor, and on-sale products get PREFERENCE_SIGNALS["bargain_sale_score"] times
# sale_score_factor (0: bargain hunters stop favouring sale items). No random draw depends on it:
# orders before the date are unchanged, and without the option (the default) so is everything.
BEHAVIOUR_SHIFT = {"preference": "bargain", "spend_factor": 2.0, "sale_score_factor": 0.0}
# How strongly a preference shows in behaviour (issue 15; measured in
# docs/research/generator_signals.md). A strength of 0 (a factor of 1) removes that signal. A
# probability q of a page / answer is reached by sending a share (q - 1/n) / (1 - 1/n) of the
# choices to it, the rest staying uniform over the n options, so q = 0 (or 1/n) means no signal.
PREFERENCE_SIGNALS = {
    # product choice (shop._line_products): score bonuses of a candidate product
    "sale_score": 0.3,  # on-sale candidate, every buyer
    "bargain_sale_score": 5.0,  # on-sale candidate, bargain hunters (on top of sale_score)
    "new_arrival_score": 5.0,  # candidate published < new_arrival_days ago, new-arrival chasers
    "new_arrival_days": 60,  # a product counts as a new arrival this many days after publishing
    # preference holders also weigh extra candidates from a wider band of the price-sorted catalogue
    "extra_candidates": 40,  # number of extra candidates per order line (0: none)
    "extra_candidate_ranks": 60,  # drawn within +- this many places of the target price's rank
    "extra_candidate_max_log_ratio": 0.25,  # ignored when |log(price / target)| exceeds this
    # discount codes (shop._order_money)
    "bargain_code_factor": 3.0,  # bargain hunters use a running campaign's code this many times as often
    "bargain_code_share_cap": 0.6,  # ... but on at most this share of their orders
    # web (web._pages): probability that a collection page viewed is the preferred collection
    "bargain_sale_page": 0.6,  # /collections/sale, bargain hunters
    "new_arrival_page": 0.6,  # /collections/new-arrivals, new-arrival chasers
    # surveys (crm._surveys): probability of an answer to a question
    "bargain_values_price": 0.7,  # values: 'price', bargain hunters
    "bargain_motivations_deal": 0.6,  # motivations: 'deal', bargain hunters
    "new_arrival_motivations_trend": 0.6,  # motivations: 'trend', new-arrival chasers
    "new_arrival_values_quality": 0.5,  # values: 'quality', new-arrival chasers
}
# CRM surveys: share of contacts (buyers, prospects, B2B) who answer; each answers 1-3 questions.
SURVEY_RESPONDENT_SHARE = 0.20
B2B_PERSON_SHARE = 0.04

# Web (GA4) volume knobs.
WEB = {
    "tracked_person_share": 0.72,  # persons whose browser sends GA4 events (consent / no blocker)
    "tracked_order_share": 0.92,  # web orders of tracked persons that reach GA4
    "browse_sessions_per_order": 0.2,
    "browse_sessions_base": 0.8,
    "prospect_sessions_mean": 3.0,
    "prospect_signup_share": 0.30,
    "anonymous_visitors_per_person": 0.35,
    "bots_per_person": 0.0015,
    "bot_events_mean": 250,
    "extra_devices_p": 0.35,  # each person has 1 + Binomial(2, p) devices
    "logged_in_already": 0.55,
    "login_in_session": 0.25,
}

ORDERS = {
    "pos_share": 0.08,
    "lines_geometric_p": 0.58,  # lines per order ~ Geometric(p), capped at 6
    "qty2_share": 0.10,
    "qty3_share": 0.03,
    "line_discount_share": 0.08,
    "welcome_code_share": 0.30,
    "campaign_code_share": 0.20,
    "free_shipping_usd": 75.0,
    "shipping_usd": 6.95,
}

# Shop customer records (shopify.customers): one per person with a shop customer id.
CUSTOMERS = {
    # account state of buyers who never logged in on the web (anyone with a GA4 login is enabled)
    "state_shares": {"enabled": 0.72, "disabled": 0.18, "invited": 0.07, "declined": 0.03},
    "verified_share": {"enabled": 0.95, "disabled": 0.50, "invited": 0.10, "declined": 0.05},
    "accepts_marketing_subscribed": 0.90,  # share accepting when subscribed to email in the CRM
    "accepts_marketing_other": 0.15,  # share accepting otherwise
    "prospect_no_name_share": 0.35,  # web sign-ups that gave an email only
    "prospect_no_address_share": 0.70,  # web sign-ups without a default address
    "vip_min_orders": 25,  # registered orders for the merchant's 'vip' tag (~top 10 %)
    "vip_tag_share": 0.60,  # of those, share the merchant tagged
    "profile_edit_share": 0.25,  # customers who later edited their record (later updated_at)
}

# ---------------------------------------------------------------------------------------------
# Planted messiness.  Rates are fractions of the unit named in the comment.  The test-suite reads
# this dict and checks the measured rates; docs/generator.md tabulates it.
RATES: dict[str, float] = {
    # identity & formatting
    "email_case_whitespace_variant": 0.12,  # emitted emails (contacts, orders, tickets) not canonical
    "esp_email_variant": 0.02,  # email_events rows whose email is not canonical
    "secondary_email_person": 0.12,  # persons owning a second address (used on duplicates/guest orders)
    "phone_on_contact": 0.75,  # contacts with a phone
    "phone_on_order": 0.35,  # web orders with a phone
    "country_not_iso2": 0.45,  # contacts/accounts whose country is not upper-case ISO-2
    "duplicate_contact_person": 0.04,  # contacts whose person has a second contact_id
    "contact_exact_duplicate": 0.01,  # contact rows exported twice, identical
    "contact_older_version": 0.02,  # contacts exported also in an older version
    "account_older_version": 0.03,
    "order_older_version": 0.03,  # orders exported also in an older version (earlier updated_at)
    "order_exact_duplicate": 0.005,  # order rows exported twice, identical
    "ticket_older_version": 0.25,
    "product_older_version": 0.05,
    "email_event_duplicate": 0.003,  # ESP webhook re-deliveries (identical rows)
    "customer_older_version": 0.03,  # shop customers exported also in an older version
    "customer_exact_duplicate": 0.005,  # shop customer rows exported twice, identical
    "phone_on_customer": 0.30,  # shop customer records with a phone
    # commerce
    "guest_only_buyer": 0.15,  # buyers who never register: every order is a guest checkout
    "guest_order_registered": 0.05,  # orders of registered buyers placed as guest
    "test_account_person": 0.002,  # staff test accounts (test+...@, noreply...@), orders is_test
    "cancelled_order": 0.02,
    "refunded_order": 0.07,  # non-cancelled orders with a refund (returns)
    "full_refund_share": 0.40,  # of refunded orders, share refunded in full
    "currency_lower_case": 0.03,  # orders whose currency code is lower case
    # web
    "shared_device_person": 0.03,  # persons who also log in on another person's device
    "event_duplicate_delivery": 0.005,  # events delivered twice (same event_id, identical row)
    "event_late_arrival": 0.01,  # events whose _loaded_at is 2-10 days after the event
    # timestamps written with another offset / Z / fractional seconds (same instant)
    "timestamp_alt_format": 0.05,
    # bad rows for staging to quarantine, per table (split across the table's applicable reasons)
    "bad_row": 0.003,
}

# Reason codes planted per table (each a code of seeds/quarantine_reasons.csv).
BAD_ROW_REASONS: dict[str, tuple[str, ...]] = {
    "crm.contacts": ("missing_key", "unparseable_timestamp", "future_timestamp",
                     "implausible_timestamp", "invalid_date_range"),
    "crm.accounts": ("missing_key", "unparseable_timestamp"),
    "crm.account_technologies": ("missing_key", "invalid_date_range"),
    "crm.survey_responses": ("missing_key", "unknown_value", "unparseable_timestamp"),
    "crm.consent_events": ("missing_key", "unknown_value", "unparseable_timestamp",
                           "future_timestamp"),
    "crm.support_tickets": ("missing_key", "unparseable_amount", "unknown_value",
                            "invalid_date_range"),
    "ga4.events": ("missing_key", "unknown_event_name", "future_timestamp",
                   "implausible_timestamp", "negative_amount", "unknown_currency"),
    "ga4.event_items": ("missing_key", "negative_amount"),
    "shopify.orders": ("missing_key", "unparseable_timestamp", "future_timestamp",
                       "unparseable_amount", "negative_amount", "amounts_do_not_add_up",
                       "impossible_amount", "unknown_currency", "unknown_value"),
    "shopify.order_lines": ("missing_key", "negative_amount", "unparseable_amount"),
    "shopify.refunds": ("missing_key", "unparseable_timestamp", "negative_amount"),
    "shopify.refund_lines": ("missing_key", "negative_amount", "unknown_value"),
    "shopify.products": ("missing_key", "unparseable_timestamp"),
    "shopify.customers": ("missing_key", "unparseable_timestamp", "future_timestamp",
                          "invalid_date_range", "unknown_value"),
    "marketing.email_events": ("missing_key", "unknown_value", "unparseable_timestamp",
                               "future_timestamp"),
    "marketing.campaigns": ("invalid_date_range",),
    "marketing.ad_spend": ("negative_amount", "unparseable_amount", "unknown_currency"),
    "marketing.experiment_assignments": ("missing_key", "unknown_value", "unparseable_timestamp"),
}

# Planted future rows lie this many days (at least) after the as-of date: beyond both the brief's
# "as-of + 2 days" and the project's future_timestamp_tolerance_days.
FUTURE_MIN_DAYS = 3
