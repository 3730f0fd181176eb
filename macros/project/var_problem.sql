{#- var_problem(value, rule): none when value satisfies the rule (see var_rules()), else what it must
    be, for validate_vars()'s message. -#}
{% macro var_problem(value, rule) -%}
    {%- set kind = rule.kind -%}
    {%- if value is none -%}
        {{ return(none if rule.get('nullable') or kind == 'sources' else 'set') }}
    {%- endif -%}
    {%- set bounds = [] -%}
    {%- if rule.get('min') is not none %}{% do bounds.append('>= ' ~ rule.min) %}{% endif -%}
    {%- if rule.get('max') is not none %}{% do bounds.append('<= ' ~ rule.max) %}{% endif -%}
    {%- if rule.get('above') is not none %}{% do bounds.append('> ' ~ rule.above) %}{% endif -%}
    {%- set bounds_text = (' ' ~ bounds | join(' and ')) if bounds else '' -%}
    {%- if kind in ('int', 'number') -%}
        {%- set items = [value] -%}
    {%- elif kind == 'int_list' -%}
        {%- if value is string or value is mapping or value is not iterable or value | length == 0 -%}
            {{ return('a non-empty list of whole numbers' ~ bounds_text) }}
        {%- endif -%}
        {%- set items = value -%}
    {%- else -%}
        {%- set items = [] -%}
    {%- endif -%}
    {%- for item in items -%}
        {%- set is_bool = item is sameas true or item is sameas false -%}
        {%- if kind in ('int', 'int_list') and (is_bool or item is not integer) -%}
            {{ return(('a whole number' if kind == 'int' else 'a non-empty list of whole numbers') ~ bounds_text) }}
        {%- elif kind == 'number' and (is_bool or item is not number) -%}
            {{ return('a number' ~ bounds_text) }}
        {%- elif (rule.get('min') is not none and item < rule.min) or (rule.get('max') is not none and item > rule.max)
            or (rule.get('above') is not none and item <= rule.above) -%}
            {{ return(('a whole number' if kind != 'number' else 'a number') ~ bounds_text) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if kind == 'text' and (value is not string or value | trim == '') -%}
        {{ return('non-empty text') }}
    {%- elif kind == 'code' and (value is not string or not modules.re.match('^[A-Z]{' ~ rule.length ~ '}$', value)) -%}
        {{ return(rule.length ~ ' upper-case letters (ISO ' ~ ('4217' if rule.length == 3 else '3166-1 alpha-2') ~ ')') }}
    {%- elif kind == 'date' and not is_calendar_date(value) -%}
        {{ return('a real calendar date YYYY-MM-DD' ~ (', or unset' if rule.get('nullable') else '')) }}
    {%- elif kind == 'bool' and not (value is sameas true or value is sameas false) -%}
        {{ return('true or false') }}
    {%- elif kind == 'text_list' and (value is string or value is mapping or value is not iterable
        or value | reject('string') | list | length > 0) -%}
        {{ return('a list of texts') }}
    {%- elif kind == 'parameters' -%}
        {%- if value is not mapping or value.keys() | sort != rule['keys'] | sort -%}
            {{ return('a mapping with exactly the keys ' ~ rule['keys'] | join(', ')) }}
        {%- endif -%}
        {%- for key in rule['keys'] if value[key] is not number or value[key] is sameas true or value[key] <= 0 -%}
            {{ return('a mapping of positive numbers (' ~ key ~ ' is not)') }}
        {%- endfor -%}
    {%- elif kind in ('windows', 'code_map') -%}
        {#- a map with fixed keys: each key is part of column names, only the values are settings -#}
        {%- if value is not mapping or value.keys() | sort != rule['keys'] | sort -%}
            {{ return('a mapping with exactly the keys ' ~ rule['keys'] | join(', ') ~ ' ('
                ~ ('window' if kind == 'windows' else 'feature') ~ ' names; each a column-name part)') }}
        {%- endif -%}
        {%- set previous = namespace(days=0) -%}
        {%- for key in rule['keys'] if kind == 'windows' -%}
            {%- set days = value[key] -%}
            {%- if days is sameas true or days is sameas false or days is not integer or days <= previous.days -%}
                {{ return('a mapping of whole numbers of days, each above the one before in the order '
                    ~ rule['keys'] | join(' < ') ~ ' (' ~ key ~ ' is not)') }}
            {%- endif -%}
            {%- set previous.days = days -%}
        {%- endfor -%}
        {%- for key in rule['keys'] if kind == 'code_map' -%}
            {%- set codes = value[key] -%}
            {%- if codes is string or codes is mapping or codes is not iterable or codes | length == 0
                or codes | reject('string') | list | length > 0 -%}
                {{ return('a mapping of non-empty lists of codes (' ~ key ~ ' is not)') }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}
