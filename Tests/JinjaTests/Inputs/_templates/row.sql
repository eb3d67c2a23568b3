{{ loop.index }}:{{ item }}{% if not loop.last %},{% endif %}
