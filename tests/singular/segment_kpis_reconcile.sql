-- segment_kpis adds up to its sources. On basis primary, per period: the members to the customers of
-- customer_segments (the period whose snapshot is the as-of date), the orders and net revenue to the
-- counted orders of fct_orders in the period's activity window, the sessions to the identified human
-- sessions of fct_sessions. On basis member: the ad spend to the spend of every campaign in the window
-- (each audience maps to one segment), and no segment has fewer members than it is primary for. One
-- row per mismatch.
with

as_of as (
    select as_of_date
    from {{ ref('int_as_of_date') }}
),

periods as (
    select distinct
        kpis.period_type,
        kpis.period_start,
        kpis.snapshot_date,
        case when kpis.period_end < as_of.as_of_date then kpis.period_end else as_of.as_of_date end as activity_end
    from {{ ref('segment_kpis') }} as kpis
    cross join as_of
),

primary_totals as (
    select
        period_type,
        period_start,
        sum(n_members) as n_members,
        sum(n_orders) as n_orders,
        sum(net_revenue_amount) as net_revenue_amount,
        sum(n_sessions) as n_sessions
    from {{ ref('segment_kpis') }}
    where membership_basis = 'primary'
    group by period_type, period_start
),

member_totals as (
    select
        period_type,
        period_start,
        -- the same campaigns' spend repeats on every row of the segment their audience maps to
        sum(ad_spend_amount) as ad_spend_amount
    from {{ ref('segment_kpis') }}
    where membership_basis = 'member'
    group by period_type, period_start
),

order_totals as (
    select
        periods.period_type,
        periods.period_start,
        count(*) as n_orders,
        sum(orders.net_amount) as net_revenue_amount
    from {{ ref('fct_orders') }} as orders
    inner join periods
        on
            orders.order_date >= periods.period_start
            and orders.order_date <= periods.activity_end
    where orders.is_counted_order
    group by periods.period_type, periods.period_start
),

session_totals as (
    select
        periods.period_type,
        periods.period_start,
        count(*) as n_sessions
    from {{ ref('fct_sessions') }} as sessions
    inner join periods
        on
            sessions.session_date >= periods.period_start
            and sessions.session_date <= periods.activity_end
    where
        sessions.customer_key is not null
        and not sessions.is_bot
        and not sessions.is_test_account
    group by periods.period_type, periods.period_start
),

spend_totals as (
    select
        periods.period_type,
        periods.period_start,
        sum(spend.spend_amount) as ad_spend_amount
    from {{ ref('stg_marketing__ad_spend') }} as spend
    inner join {{ ref('stg_marketing__campaigns') }} as campaigns
        on spend.campaign_id = campaigns.campaign_id
    inner join periods
        on
            spend.spend_date >= periods.period_start
            and spend.spend_date <= periods.activity_end
    group by periods.period_type, periods.period_start
),

current_customers as (
    select count(*) as n_customers
    from {{ ref('customer_segments') }}
),

period_totals as (
    select
        periods.period_type,
        periods.period_start,
        periods.snapshot_date = as_of.as_of_date as is_current,
        primary_totals.n_members,
        current_customers.n_customers,
        primary_totals.n_orders,
        coalesce(order_totals.n_orders, 0) as n_source_orders,
        primary_totals.net_revenue_amount,
        coalesce(order_totals.net_revenue_amount, 0) as source_net_revenue_amount,
        primary_totals.n_sessions,
        coalesce(session_totals.n_sessions, 0) as n_source_sessions,
        member_totals.ad_spend_amount,
        coalesce(spend_totals.ad_spend_amount, 0) as source_ad_spend_amount
    from periods
    cross join as_of
    cross join current_customers
    inner join primary_totals
        on
            periods.period_type = primary_totals.period_type
            and periods.period_start = primary_totals.period_start
    inner join member_totals
        on
            periods.period_type = member_totals.period_type
            and periods.period_start = member_totals.period_start
    left join order_totals
        on
            periods.period_type = order_totals.period_type
            and periods.period_start = order_totals.period_start
    left join session_totals
        on
            periods.period_type = session_totals.period_type
            and periods.period_start = session_totals.period_start
    left join spend_totals
        on
            periods.period_type = spend_totals.period_type
            and periods.period_start = spend_totals.period_start
),

checks as (
    select
        period_type,
        period_start,
        'orders' as measure,
        cast(n_orders as {{ type_double() }}) as kpi_value,
        cast(n_source_orders as {{ type_double() }}) as source_value
    from period_totals
    union all
    select
        period_type,
        period_start,
        'net_revenue' as measure,
        cast(net_revenue_amount as {{ type_double() }}) as kpi_value,
        cast(source_net_revenue_amount as {{ type_double() }}) as source_value
    from period_totals
    union all
    select
        period_type,
        period_start,
        'sessions' as measure,
        cast(n_sessions as {{ type_double() }}) as kpi_value,
        cast(n_source_sessions as {{ type_double() }}) as source_value
    from period_totals
    union all
    select
        period_type,
        period_start,
        'ad_spend' as measure,
        cast(ad_spend_amount as {{ type_double() }}) as kpi_value,
        cast(source_ad_spend_amount as {{ type_double() }}) as source_value
    from period_totals
    union all
    select
        period_type,
        period_start,
        'members' as measure,
        cast(n_members as {{ type_double() }}) as kpi_value,
        cast(n_customers as {{ type_double() }}) as source_value
    from period_totals
    where is_current
    union all
    select
        primary_rows.period_type,
        primary_rows.period_start,
        'members_at_least_primary:' || primary_rows.segment_key as measure,
        cast(member_rows.n_members as {{ type_double() }}) as kpi_value,
        cast(primary_rows.n_members as {{ type_double() }}) as source_value
    from {{ ref('segment_kpis') }} as primary_rows
    inner join {{ ref('segment_kpis') }} as member_rows
        on
            primary_rows.period_type = member_rows.period_type
            and primary_rows.period_start = member_rows.period_start
            and primary_rows.segment_key = member_rows.segment_key
    where
        primary_rows.membership_basis = 'primary'
        and member_rows.membership_basis = 'member'
        and member_rows.n_members < primary_rows.n_members
)

select *
from checks
where
    measure like 'members_at_least_primary:%'
    or abs(kpi_value - source_value) > 0.005
