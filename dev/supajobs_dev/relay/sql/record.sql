insert into net._http_response
  (id, status_code, content_type, headers, content, timed_out, error_msg)
values
  (%(id)s, %(status_code)s, %(content_type)s, %(headers)s, %(content)s, %(timed_out)s, %(error_msg)s)
