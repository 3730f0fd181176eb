{#- check_quarantine_share(): post-hook of the staging models; acts on base_ models only. When more
    than var quarantine_max_share of a raw table's rows are quarantined (duplicates do not count),
    a rule does not fit the data (old dates, another currency, a changed export): stop here, with
    one message naming the table, the main reason code, its share and what the rule is, rather
    than let every model downstream build on a fraction of the data. -#}
{% macro check_quarantine_share() -%}
    {%- if not execute or not model.name.startswith('base_') -%}
        {{ return('') }}
    {%- endif -%}
    {%- set max_share = checked_var('quarantine_max_share') -%}
    {%- set counts = run_query(
        "select _quarantine_reason, count(*) as n_rows from " ~ this
        ~ " group by _quarantine_reason order by n_rows desc, _quarantine_reason"
    ) -%}
    {%- set total = counts.rows | sum(attribute='n_rows') -%}
    {%- set rejected = counts.rows | selectattr('_quarantine_reason') | list -%}
    {%- set n_rejected = rejected | sum(attribute='n_rows') -%}
    {%- if total == 0 or n_rejected / total <= max_share -%}
        {{ return('') }}
    {%- endif -%}
    {%- set top = rejected[0] -%}
    {%- set reasons = graph.nodes['seed.' ~ project_name ~ '.quarantine_reasons'] -%}
    {%- set reasons_relation = api.Relation.create(database=reasons.database, schema=reasons.schema, identifier=reasons.alias) -%}
    {#- the seed says what the reason means and which var sets the rule; every base_ model declares it
        as a dependency (`-- depends_on:`), so it is built first -#}
    {%- set described = run_query("select description from " ~ reasons_relation ~ " where reason_code = '" ~ top._quarantine_reason ~ "'") -%}
    {%- set table = model.name[5:].replace('__', '.', 1) -%}
    {{ exceptions.raise_compiler_error(
        "Stopped: " ~ '%.1f' | format(100 * n_rejected / total) ~ " % of raw table " ~ table ~ " ("
        ~ "{:,}".format(n_rejected) ~ " of " ~ "{:,}".format(total) ~ " rows) was quarantined, above var quarantine_max_share ("
        ~ max_share ~ "). Main reason: " ~ top._quarantine_reason ~ " (" ~ "{:,}".format(top.n_rows) ~ " rows): "
        ~ (described.columns[0].values()[0] if described.rows else 'see seeds/quarantine_reasons.csv.')
        ~ "\nIf that rule does not fit your data, change the var it names in dbt_project.yml (or --vars);"
        ~ " the rejected rows and their raw payloads are in " ~ this.schema ~ ".quarantine_rows after a"
        ~ " build with --vars '{quarantine_max_share: 1}'."
    ) }}
{%- endmacro %}
