-- Webhook dispatch on (a URL and secret) or off (both null: NOTIFY only).
select jobs.configure_dispatch(%(url)s, %(secret)s);
