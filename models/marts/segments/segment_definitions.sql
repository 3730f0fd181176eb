-- One row per segment definition of models/marts/segments/_segment_definitions.yml, as declared
-- (the rule as JSON) and as compiled (the SQL it became): what dbt docs, BI tools and the catalog
-- show. Compiling here checks every definition before any membership is computed.
-- depends_on: {{ ref('feature_catalog') }} {{ ref('segment_event_types') }} {{ ref('segment_event_properties') }}
{%- set compiled = segment_compile() %}

with

definitions as (
    {%- for definition in compiled.definitions %}
        select
            {{ string_literal(definition.key) }} as segment_key,
            {{ string_literal(definition.name) }} as segment_name,
            {{ string_literal(definition.family) }} as family,
            {{ string_literal(definition.entity) }} as entity_type,
            {{ 'true' if definition.is_primary else 'false' }} as is_primary,
            {{ definition.priority }} as priority,
            {{ definition.min_size }} as min_size,
            {{ definition.max_share }} as max_share,
            {{ string_literal(definition.owner) }} as owner,
            {{ definition.version }} as definition_version,
            {{ string_literal(definition.description | trim) }} as description,
            {{ string_literal(tojson(definition.rule, sort_keys=true)) }} as rule_json,
            {{ string_literal(compiled.sql[definition.key]) }} as rule_sql
        {{- '' if loop.last else ' union all' }}
    {%- endfor %}
),

final as (
    select
        segment_key,
        segment_name,
        family,
        entity_type,
        is_primary,
        cast(priority as {{ dbt.type_int() }}) as priority,
        cast(min_size as {{ dbt.type_int() }}) as min_size,
        cast(max_share as {{ type_double() }}) as max_share,
        owner,
        cast(definition_version as {{ dbt.type_int() }}) as definition_version,
        description,
        rule_json,
        rule_sql
    from definitions
)

select * from final
