{#- segment_compile_one(key, context): compiles one segment's rule once (context.compiled), first
    compiling the segments it references; a segment met again while its own rule compiles is a cycle. -#}
{% macro segment_compile_one(key, context) -%}
    {%- if key in context.compiled -%}
        {{ return(context.compiled[key]) }}
    {%- endif -%}
    {%- if key in context.stack -%}
        {%- do segment_error(context.stack[-1], 'rule', 'cycle of segment references: '
            ~ (context.stack[context.stack.index(key):] + [key]) | join(' -> ')) -%}
    {%- endif -%}
    {%- do context.stack.append(key) -%}
    {%- set sql = segment_rule_sql(context.definitions[key].rule, 'rule', context) -%}
    {%- do context.stack.pop() -%}
    {%- do context.compiled.update({key: sql}) -%}
    {{ return(sql) }}
{%- endmacro %}
