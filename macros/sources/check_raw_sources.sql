{#- on-run-start hook, after register_raw_sources(): checks, before any model runs, that
    - the var raw_sources names known systems and tables, with `all`, `none` or a list;
    - every raw table it says the user has exists and has at least one row;
    - each raw column has the type family its source contract declares (data_type in
      models/staging/*/_*__sources.yml). Numeric where text is declared is fine: raw_source() casts.
    Every problem is listed in one message, naming the table, its location, the column, the expected
    and the found type. Tables the user does not have are read as empty, typed relations. -#}
{% macro check_raw_sources() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set ours = {} -%}
    {%- for node in graph.sources.values() | sort(attribute='unique_id') if node.package_name == project_name -%}
        {%- do ours.setdefault(node.source_name, []).append(node) -%}
    {%- endfor -%}
    {%- set problems = [] -%}
    {%- set declared = var('raw_sources', {}) or {} -%}
    {%- if declared is not mapping -%}
        {%- do problems.append("var raw_sources must map each source system to all, none or a list of tables (got " ~ declared ~ ")") -%}
        {%- set declared = {} -%}
    {%- endif -%}
    {%- for system, tables in declared.items() -%}
        {%- if system not in ours -%}
            {%- do problems.append("var raw_sources: unknown source system '" ~ system ~ "' (known: " ~ ours.keys() | sort | join(', ') ~ ")") -%}
        {%- elif tables is string -%}
            {%- if tables | trim | lower not in ('all', 'none') -%}
                {%- do problems.append("var raw_sources: " ~ system ~ " must be all, none or a list of tables (got '" ~ tables ~ "')") -%}
            {%- endif -%}
        {%- elif tables is iterable -%}
            {%- set known = ours[system] | map(attribute='name') | list -%}
            {%- for table in tables if table not in known -%}
                {%- do problems.append("var raw_sources: " ~ system ~ " has no table '" ~ table ~ "' (known: " ~ known | sort | join(', ') ~ ")") -%}
            {%- endfor -%}
        {%- elif tables is not none -%}
            {%- do problems.append("var raw_sources: " ~ system ~ " must be all, none or a list of tables (got " ~ tables ~ ")") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for system in ours | sort -%}
        {%- for node in ours[system] if raw_source_enabled(system, node.name) -%}
            {%- set label = "raw table " ~ system ~ "." ~ node.name ~ " (" ~ raw_source_location(node) ~ ")" -%}
            {%- set columns = raw_source_found_columns(node) -%}
            {%- if not columns -%}
                {%- do problems.append(label ~ " does not exist") -%}
            {%- else -%}
                {%- set relation = api.Relation.create(database=node.database, schema=node.schema, identifier=node.identifier) -%}
                {%- set has_rows = run_query("select count(*) from (select 1 as one from " ~ relation ~ " limit 1) as probe").columns[0].values()[0] -%}
                {%- if has_rows == 0 -%}
                    {%- do problems.append(label ~ " is empty") -%}
                {%- endif -%}
                {%- set found = {} -%}
                {%- for column in columns -%}
                    {%- do found.update({column.name | lower: column.dtype}) -%}
                {%- endfor -%}
                {%- set text_casts = raw_source_text_casts(node, columns) -%}
                {%- for column in node.columns.values() -%}
                    {%- set expected = raw_type_family(column.data_type) -%}
                    {%- set actual = found.get(column.name | lower) -%}
                    {%- if actual is none -%}
                        {%- do problems.append(label ~ ": column " ~ column.name ~ " is missing (expected " ~ column.data_type ~ ")") -%}
                    {%- elif raw_type_family(actual) != expected and column.name | lower not in text_casts -%}
                        {%- do problems.append(label ~ ": column " ~ column.name ~ " should be " ~ column.data_type ~ " (" ~ expected ~ ") but is " ~ actual) -%}
                    {%- endif -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "The raw data does not match what var raw_sources and the source contracts declare:\n  - "
            ~ problems | join("\n  - ")
            ~ "\nDeclare only the tables you have, e.g. --vars '{raw_sources: {shopify: [orders, order_lines]}}' "
            ~ "(a system left out means none; tables you do not have build empty), and write each column "
            ~ "with the data_type in models/staging/<system>/_<system>__sources.yml."
        ) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
