-- One row per period (calendar month and quarter), membership basis and customer segment: who the
-- members were and what they did. Periods are the months and quarters holding a logged as-of date
-- (segment_membership_log): membership is known only where the engine ran. Members are those at the
-- period's snapshot (its latest logged as-of date); start members those at the latest logged as-of
-- date before the period. Basis 'member' counts every member of a segment (segments overlap), basis
-- 'primary' the customers whose primary segment it is; on that basis the segments plus row
-- no_primary_segment (customers without a primary segment at the snapshot: test accounts, people
-- first seen later) add up to the order facts (test segment_kpis_reconcile). Activity (sessions,
-- orders, emails, spend) counts from the period's first day to its last, or to the as-of date.
-- Attribution (decision 61): an order goes to the campaign of the customer's latest campaign session
-- within var kpi_attribution_window_days before it, a campaign to the segment of its audience (seed
-- campaign_audience_segments). docs/analytics.md defines every column.
{%- set window_days = checked_var('kpi_attribution_window_days') %}
{%- set churned_segment = checked_var('kpi_churned_segment_key') %}

with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

log_rows as (
    select
        log_rows.as_of_date,
        log_rows.entity_key as customer_key,
        log_rows.segment_key,
        log_rows.is_primary_segment
    from ({{ segment_log_current_keys() }}) as log_rows
    cross join as_of
    where
        log_rows.entity_type = 'customer'
        and log_rows.as_of_date <= as_of.as_of_date
),

logged_dates as (
    select distinct as_of_date
    from log_rows
),

period_dates as (
    select
        'month' as period_type,
        cast({{ dbt.date_trunc('month', 'as_of_date') }} as date) as period_start,
        as_of_date
    from logged_dates
    union all
    select
        'quarter' as period_type,
        cast({{ dbt.date_trunc('quarter', 'as_of_date') }} as date) as period_start,
        as_of_date
    from logged_dates
),

period_snapshots as (
    select
        period_type,
        period_start,
        max(as_of_date) as snapshot_date
    from period_dates
    group by period_type, period_start
),

previous_snapshots as (
    select
        period_snapshots.period_type,
        period_snapshots.period_start,
        max(logged_dates.as_of_date) as previous_snapshot_date
    from period_snapshots
    inner join logged_dates
        on period_snapshots.period_start > logged_dates.as_of_date
    group by period_snapshots.period_type, period_snapshots.period_start
),

periods as (
    select
        period_snapshots.period_type,
        period_snapshots.period_start,
        cast(
            case
                when period_snapshots.period_type = 'month'
                    then {{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'period_snapshots.period_start')) }}
                else {{ dbt.dateadd('day', -1, dbt.dateadd('month', 3, 'period_snapshots.period_start')) }}
            end as date
        ) as period_end,
        period_snapshots.snapshot_date,
        previous_snapshots.previous_snapshot_date
    from period_snapshots
    left join previous_snapshots
        on
            period_snapshots.period_type = previous_snapshots.period_type
            and period_snapshots.period_start = previous_snapshots.period_start
),

-- activity runs from the period's first day to its last or to the as-of date, whichever comes first
activity_periods as (
    select
        periods.period_type,
        periods.period_start,
        periods.period_end,
        periods.snapshot_date,
        periods.previous_snapshot_date,
        case when periods.period_end < as_of.as_of_date then periods.period_end else as_of.as_of_date end
            as activity_end,
        periods.period_end > as_of.as_of_date as is_partial_period
    from periods
    cross join as_of
),

-- two bases: every member of a segment ('member'), and the customers whose primary segment it is
-- ('primary'; these partition the customers)
bases as (
    select 'member' as membership_basis
    union all
    select 'primary' as membership_basis
),

-- members at each period's snapshot (role end) and at the snapshot before it (role start)
snapshot_members as (
    select
        activity_periods.period_type,
        activity_periods.period_start,
        case when log_rows.as_of_date = activity_periods.snapshot_date then 'end' else 'start' end as snapshot_role,
        bases.membership_basis,
        log_rows.customer_key,
        log_rows.segment_key
    from activity_periods
    inner join log_rows
        on log_rows.as_of_date in (activity_periods.snapshot_date, activity_periods.previous_snapshot_date)
    inner join bases
        on bases.membership_basis = 'member' or log_rows.is_primary_segment
),

members as (
    select
        period_type,
        period_start,
        membership_basis,
        customer_key,
        segment_key
    from snapshot_members
    where snapshot_role = 'end'
),

start_members as (
    select
        period_type,
        period_start,
        membership_basis,
        customer_key,
        segment_key
    from snapshot_members
    where snapshot_role = 'start'
),

-- an order without a customer (a guest checkout no identity resolves) counts under
-- no_primary_segment through a key no member has
orders as (
    select
        order_id,
        coalesce(customer_key, '(no customer)') as customer_key,
        created_at,
        order_date,
        is_first_order,
        net_amount
    from {{ ref('fct_orders') }}
    where is_counted_order
),

campaign_sessions as (
    select
        sessions.session_id,
        sessions.customer_key,
        sessions.started_at,
        campaigns.campaign_id
    from {{ ref('fct_sessions') }} as sessions
    inner join {{ ref('int_campaign_audiences') }} as campaigns
        on sessions.traffic_campaign = campaigns.campaign_id
    where
        sessions.customer_key is not null
        and not sessions.is_bot
        and not sessions.is_test_account
),

-- last touch: the customer's latest campaign session within the window before the order
order_touches as (
    select
        orders.order_id,
        orders.order_date,
        orders.is_first_order,
        orders.net_amount,
        campaign_sessions.campaign_id,
        row_number() over (
            partition by orders.order_id
            order by campaign_sessions.started_at desc, campaign_sessions.session_id desc
        ) as touch_rank
    from orders
    inner join campaign_sessions
        on
            orders.customer_key = campaign_sessions.customer_key
            and orders.created_at >= campaign_sessions.started_at
            and orders.created_at < {{ dbt.dateadd('day', window_days, 'campaign_sessions.started_at') }}
),

audience_segments as (
    select
        campaign_id,
        audience_segment_key as segment_key
    from {{ ref('int_campaign_audiences') }}
),

attributed_orders as (
    select
        activity_periods.period_type,
        activity_periods.period_start,
        audience_segments.segment_key,
        count(*) as n_attributed_orders,
        sum(order_touches.net_amount) as attributed_revenue_amount,
        sum(case when order_touches.is_first_order then 1 else 0 end) as n_acquired_customers
    from order_touches
    inner join activity_periods
        on
            order_touches.order_date >= activity_periods.period_start
            and order_touches.order_date <= activity_periods.activity_end
    inner join audience_segments
        on order_touches.campaign_id = audience_segments.campaign_id
    where order_touches.touch_rank = 1
    group by activity_periods.period_type, activity_periods.period_start, audience_segments.segment_key
),

attributed_spend as (
    select
        activity_periods.period_type,
        activity_periods.period_start,
        audience_segments.segment_key,
        sum(spend.spend_amount) as ad_spend_amount
    from {{ ref('int_ad_spend_daily') }} as spend
    inner join activity_periods
        on
            spend.spend_date >= activity_periods.period_start
            and spend.spend_date <= activity_periods.activity_end
    inner join audience_segments
        on spend.campaign_id = audience_segments.campaign_id
    group by activity_periods.period_type, activity_periods.period_start, audience_segments.segment_key
),

customer_orders as (
    select
        activity_periods.period_type,
        activity_periods.period_start,
        orders.customer_key,
        count(*) as n_orders,
        sum(orders.net_amount) as net_revenue_amount
    from orders
    inner join activity_periods
        on
            orders.order_date >= activity_periods.period_start
            and orders.order_date <= activity_periods.activity_end
    group by activity_periods.period_type, activity_periods.period_start, orders.customer_key
),

-- net revenue to the end of the activity window: the historical value of the customer
customer_history as (
    select
        activity_periods.period_type,
        activity_periods.period_start,
        orders.customer_key,
        sum(orders.net_amount) as historical_revenue_amount
    from orders
    inner join activity_periods
        on orders.order_date <= activity_periods.activity_end
    group by activity_periods.period_type, activity_periods.period_start, orders.customer_key
),

customer_sessions as (
    select
        activity_periods.period_type,
        activity_periods.period_start,
        sessions.customer_key,
        count(*) as n_sessions,
        sum(case when sessions.is_converted then 1 else 0 end) as n_converted_sessions
    from {{ ref('fct_sessions') }} as sessions
    inner join activity_periods
        on
            sessions.session_date >= activity_periods.period_start
            and sessions.session_date <= activity_periods.activity_end
    where
        sessions.customer_key is not null
        and not sessions.is_bot
        and not sessions.is_test_account
    group by activity_periods.period_type, activity_periods.period_start, sessions.customer_key
),

-- per campaign email: was it sent, opened, clicked, did it lead to an unsubscribe
customer_campaign_emails as (
    select
        activity_periods.period_type,
        activity_periods.period_start,
        emails.customer_key,
        emails.campaign_id,
        max(case when emails.event_type = 'send' then 1 else 0 end) as is_sent,
        max(case when emails.event_type = 'open' then 1 else 0 end) as is_opened,
        max(case when emails.event_type = 'click' then 1 else 0 end) as is_clicked,
        max(case when emails.event_type = 'unsubscribe' then 1 else 0 end) as is_unsubscribed
    from {{ ref('int_email_events_resolved') }} as emails
    inner join activity_periods
        on
            emails.occurred_date >= activity_periods.period_start
            and emails.occurred_date <= activity_periods.activity_end
    where emails.customer_key is not null
    group by activity_periods.period_type, activity_periods.period_start, emails.customer_key, emails.campaign_id
),

customer_emails as (
    select
        period_type,
        period_start,
        customer_key,
        sum(is_sent) as n_emails_sent,
        sum(is_sent * is_opened) as n_emails_opened,
        sum(is_sent * is_clicked) as n_emails_clicked,
        sum(is_sent * is_unsubscribed) as n_emails_unsubscribed
    from customer_campaign_emails
    group by period_type, period_start, customer_key
),

customer_activity as (
    select
        coalesce(customer_orders.period_type, customer_sessions.period_type, customer_emails.period_type)
            as period_type,
        coalesce(customer_orders.period_start, customer_sessions.period_start, customer_emails.period_start)
            as period_start,
        coalesce(customer_orders.customer_key, customer_sessions.customer_key, customer_emails.customer_key)
            as customer_key,
        coalesce(customer_orders.n_orders, 0) as n_orders,
        coalesce(customer_orders.net_revenue_amount, 0) as net_revenue_amount,
        coalesce(customer_sessions.n_sessions, 0) as n_sessions,
        coalesce(customer_sessions.n_converted_sessions, 0) as n_converted_sessions,
        coalesce(customer_emails.n_emails_sent, 0) as n_emails_sent,
        coalesce(customer_emails.n_emails_opened, 0) as n_emails_opened,
        coalesce(customer_emails.n_emails_clicked, 0) as n_emails_clicked,
        coalesce(customer_emails.n_emails_unsubscribed, 0) as n_emails_unsubscribed
    from customer_orders
    full outer join customer_sessions
        on
            customer_orders.period_type = customer_sessions.period_type
            and customer_orders.period_start = customer_sessions.period_start
            and customer_orders.customer_key = customer_sessions.customer_key
    full outer join customer_emails
        on
            coalesce(customer_orders.period_type, customer_sessions.period_type) = customer_emails.period_type
            and coalesce(customer_orders.period_start, customer_sessions.period_start) = customer_emails.period_start
            and coalesce(customer_orders.customer_key, customer_sessions.customer_key) = customer_emails.customer_key
),

-- active customers with no primary segment at the snapshot: the no_primary_segment row
unsegmented as (
    select
        customer_activity.period_type,
        customer_activity.period_start,
        'primary' as membership_basis,
        customer_activity.customer_key,
        'no_primary_segment' as segment_key,
        false as is_member
    from customer_activity
    left join members
        on
            customer_activity.period_type = members.period_type
            and customer_activity.period_start = members.period_start
            and customer_activity.customer_key = members.customer_key
            and members.membership_basis = 'primary'
    where members.customer_key is null
),

member_rows as (
    select
        period_type,
        period_start,
        membership_basis,
        customer_key,
        segment_key,
        true as is_member
    from members
    union all
    select
        period_type,
        period_start,
        membership_basis,
        customer_key,
        segment_key,
        is_member
    from unsegmented
),

churned_at_start as (
    select
        period_type,
        period_start,
        customer_key
    from start_members
    where
        membership_basis = 'member'
        and segment_key = '{{ churned_segment }}'
),

churned_at_end as (
    select
        period_type,
        period_start,
        customer_key
    from members
    where
        membership_basis = 'member'
        and segment_key = '{{ churned_segment }}'
),

-- members at the start: still members at the end (stayers), and churned by the end (of those not
-- churned at the start)
start_member_outcomes as (
    select
        start_members.period_type,
        start_members.period_start,
        start_members.membership_basis,
        start_members.segment_key,
        count(*) as n_start_members,
        count(members.customer_key) as n_stayers,
        sum(case when churned_at_start.customer_key is null then 1 else 0 end) as n_churn_candidates,
        sum(
            case
                when churned_at_start.customer_key is null and churned_at_end.customer_key is not null then 1
                else 0
            end
        ) as n_churned
    from start_members
    left join members
        on
            start_members.period_type = members.period_type
            and start_members.period_start = members.period_start
            and start_members.membership_basis = members.membership_basis
            and start_members.customer_key = members.customer_key
            and start_members.segment_key = members.segment_key
    left join churned_at_start
        on
            start_members.period_type = churned_at_start.period_type
            and start_members.period_start = churned_at_start.period_start
            and start_members.customer_key = churned_at_start.customer_key
    left join churned_at_end
        on
            start_members.period_type = churned_at_end.period_type
            and start_members.period_start = churned_at_end.period_start
            and start_members.customer_key = churned_at_end.customer_key
    group by
        start_members.period_type, start_members.period_start, start_members.membership_basis, start_members.segment_key
),

predicted_clv as (
    select
        customer_key,
        as_of_date,
        predicted_clv
    from {{ ref('customer_clv') }}
),

segment_activity as (
    select
        member_rows.period_type,
        member_rows.period_start,
        member_rows.membership_basis,
        member_rows.segment_key,
        sum(case when member_rows.is_member then 1 else 0 end) as n_members,
        sum(coalesce(customer_activity.n_sessions, 0)) as n_sessions,
        sum(coalesce(customer_activity.n_converted_sessions, 0)) as n_converted_sessions,
        sum(coalesce(customer_activity.n_orders, 0)) as n_orders,
        sum(case when customer_activity.n_orders > 0 then 1 else 0 end) as n_buyers,
        sum(coalesce(customer_activity.net_revenue_amount, 0)) as net_revenue_amount,
        sum(case when member_rows.is_member then coalesce(customer_history.historical_revenue_amount, 0) end)
            as historical_revenue_amount,
        sum(case when member_rows.is_member then predicted_clv.predicted_clv end) as predicted_clv_amount,
        count(case when member_rows.is_member then predicted_clv.customer_key end) as n_members_with_clv,
        sum(coalesce(customer_activity.n_emails_sent, 0)) as n_emails_sent,
        sum(coalesce(customer_activity.n_emails_opened, 0)) as n_emails_opened,
        sum(coalesce(customer_activity.n_emails_clicked, 0)) as n_emails_clicked,
        sum(coalesce(customer_activity.n_emails_unsubscribed, 0)) as n_emails_unsubscribed
    from member_rows
    inner join activity_periods
        on
            member_rows.period_type = activity_periods.period_type
            and member_rows.period_start = activity_periods.period_start
    left join customer_activity
        on
            member_rows.period_type = customer_activity.period_type
            and member_rows.period_start = customer_activity.period_start
            and member_rows.customer_key = customer_activity.customer_key
    left join customer_history
        on
            member_rows.period_type = customer_history.period_type
            and member_rows.period_start = customer_history.period_start
            and member_rows.customer_key = customer_history.customer_key
    left join predicted_clv
        on
            member_rows.customer_key = predicted_clv.customer_key
            and activity_periods.snapshot_date = predicted_clv.as_of_date
    group by member_rows.period_type, member_rows.period_start, member_rows.membership_basis, member_rows.segment_key
),

snapshot_sizes as (
    select
        period_type,
        period_start,
        count(*) as n_customers
    from members
    where membership_basis = 'primary'
    group by period_type, period_start
),

segments as (
    select
        bases.membership_basis,
        segment_catalog.segment_key,
        segment_catalog.family as segment_family
    from {{ ref('segment_catalog') }} as segment_catalog
    inner join bases
        on bases.membership_basis = 'member' or segment_catalog.is_primary
    where segment_catalog.entity_type = 'customer'
    union all
    select
        'primary' as membership_basis,
        'no_primary_segment' as segment_key,
        cast(null as {{ dbt.type_string() }}) as segment_family
),

grid as (
    select
        activity_periods.period_type,
        activity_periods.period_start,
        activity_periods.period_end,
        activity_periods.snapshot_date,
        activity_periods.previous_snapshot_date,
        activity_periods.is_partial_period,
        segments.membership_basis,
        segments.segment_key,
        segments.segment_family
    from activity_periods
    cross join segments
),

final as (
    select
        grid.period_type || ':' || cast(grid.period_start as {{ dbt.type_string() }}) || ':'
        || grid.membership_basis || ':' || grid.segment_key as segment_kpi_id,
        grid.period_type,
        grid.period_start,
        grid.period_end,
        grid.snapshot_date,
        grid.previous_snapshot_date,
        grid.is_partial_period,
        grid.membership_basis,
        grid.segment_key,
        grid.segment_family,
        cast(coalesce(segment_activity.n_members, 0) as {{ dbt.type_bigint() }}) as n_members,
        {{ round_double('cast(coalesce(segment_activity.n_members, 0) as ' ~ type_double()
            ~ ') / snapshot_sizes.n_customers', 6) }} as member_share,
        cast(
            case when grid.previous_snapshot_date is not null then coalesce(outcomes.n_start_members, 0) end
            as {{ dbt.type_bigint() }}
        ) as n_start_members,
        cast(
            case
                when grid.previous_snapshot_date is not null
                    then coalesce(segment_activity.n_members, 0) - coalesce(outcomes.n_stayers, 0)
            end as {{ dbt.type_bigint() }}
        ) as n_entrants,
        cast(
            case
                when grid.previous_snapshot_date is not null
                    then coalesce(outcomes.n_start_members, 0) - coalesce(outcomes.n_stayers, 0)
            end as {{ dbt.type_bigint() }}
        ) as n_exits,
        {{ round_double('cast(outcomes.n_stayers as ' ~ type_double() ~ ') / outcomes.n_start_members', 6) }}
            as retention_rate,
        cast(
            case when grid.previous_snapshot_date is not null then coalesce(outcomes.n_churned, 0) end
            as {{ dbt.type_bigint() }}
        ) as n_churned,
        {{ round_double('cast(outcomes.n_churned as ' ~ type_double() ~ ') / '
            ~ 'case when outcomes.n_churn_candidates > 0 then outcomes.n_churn_candidates end', 6) }}
            as churn_rate,
        cast(
            case when grid.previous_snapshot_date is not null then coalesce(outcomes.n_churn_candidates, 0) end
            as {{ dbt.type_bigint() }}
        ) as n_churn_candidates,
        cast(coalesce(segment_activity.n_sessions, 0) as {{ dbt.type_bigint() }}) as n_sessions,
        cast(coalesce(segment_activity.n_converted_sessions, 0) as {{ dbt.type_bigint() }}) as n_converted_sessions,
        {{ round_double('cast(segment_activity.n_converted_sessions as ' ~ type_double() ~ ') / '
            ~ 'case when segment_activity.n_sessions > 0 then segment_activity.n_sessions end', 6) }}
            as session_conversion_rate,
        cast(coalesce(segment_activity.n_orders, 0) as {{ dbt.type_bigint() }}) as n_orders,
        cast(coalesce(segment_activity.n_buyers, 0) as {{ dbt.type_bigint() }}) as n_buyers,
        cast(coalesce(segment_activity.net_revenue_amount, 0) as {{ money_type(wide=true) }}) as net_revenue_amount,
        cast(
            {{ money_per('segment_activity.net_revenue_amount', 'segment_activity.n_orders') }}
            as {{ money_type(wide=true) }}
        ) as aov_amount,
        cast(
            {{ money_per('segment_activity.net_revenue_amount', 'segment_activity.n_members') }}
            as {{ money_type(wide=true) }}
        ) as revenue_per_member_amount,
        cast(
            {{ money_per('segment_activity.historical_revenue_amount', 'segment_activity.n_members') }}
            as {{ money_type(wide=true) }}
        ) as historical_clv_amount,
        cast(
            {{ money_per('segment_activity.predicted_clv_amount', 'segment_activity.n_members_with_clv') }}
            as {{ money_type(wide=true) }}
        ) as predicted_clv_amount,
        cast(coalesce(segment_activity.n_members_with_clv, 0) as {{ dbt.type_bigint() }}) as n_members_with_clv,
        cast(coalesce(segment_activity.n_emails_sent, 0) as {{ dbt.type_bigint() }}) as n_emails_sent,
        {{ round_double('cast(segment_activity.n_emails_opened as ' ~ type_double() ~ ') / '
            ~ 'case when segment_activity.n_emails_sent > 0 then segment_activity.n_emails_sent end', 6) }}
            as email_open_rate,
        {{ round_double('cast(segment_activity.n_emails_clicked as ' ~ type_double() ~ ') / '
            ~ 'case when segment_activity.n_emails_sent > 0 then segment_activity.n_emails_sent end', 6) }}
            as email_click_rate,
        {{ round_double('cast(segment_activity.n_emails_unsubscribed as ' ~ type_double() ~ ') / '
            ~ 'case when segment_activity.n_emails_sent > 0 then segment_activity.n_emails_sent end', 6) }}
            as email_unsubscribe_rate,
        cast(coalesce(attributed_spend.ad_spend_amount, 0) as {{ money_type(wide=true) }}) as ad_spend_amount,
        cast(coalesce(attributed_orders.n_attributed_orders, 0) as {{ dbt.type_bigint() }}) as n_attributed_orders,
        cast(coalesce(attributed_orders.attributed_revenue_amount, 0) as {{ money_type(wide=true) }})
            as attributed_revenue_amount,
        {{ round_double('coalesce(attributed_orders.attributed_revenue_amount, 0) / '
            ~ 'case when attributed_spend.ad_spend_amount > 0 then attributed_spend.ad_spend_amount end', 6) }}
            as roas,
        cast(coalesce(attributed_orders.n_acquired_customers, 0) as {{ dbt.type_bigint() }}) as n_acquired_customers,
        cast(
            {{ money_per('attributed_spend.ad_spend_amount', 'attributed_orders.n_acquired_customers') }}
            as {{ money_type(wide=true) }}
        ) as cac_amount
    from grid
    left join snapshot_sizes
        on
            grid.period_type = snapshot_sizes.period_type
            and grid.period_start = snapshot_sizes.period_start
    left join segment_activity
        on
            grid.period_type = segment_activity.period_type
            and grid.period_start = segment_activity.period_start
            and grid.membership_basis = segment_activity.membership_basis
            and grid.segment_key = segment_activity.segment_key
    left join start_member_outcomes as outcomes
        on
            grid.period_type = outcomes.period_type
            and grid.period_start = outcomes.period_start
            and grid.membership_basis = outcomes.membership_basis
            and grid.segment_key = outcomes.segment_key
    left join attributed_orders
        on
            grid.period_type = attributed_orders.period_type
            and grid.period_start = attributed_orders.period_start
            and grid.segment_key = attributed_orders.segment_key
    left join attributed_spend
        on
            grid.period_type = attributed_spend.period_type
            and grid.period_start = attributed_spend.period_start
            and grid.segment_key = attributed_spend.segment_key
)

select * from final
