-- receipt_process loses its queue-wide limit of 2 running jobs: a worker now reads as many
-- receipts at once as it has cores (its own reading processes, SUPAJOBS_OCR_WORKERS), so a
-- limit for the whole queue would only leave cores idle. A limit an operator chose is kept.
update jobs.job_types set concurrency_limit = null
where name = 'receipt_process' and concurrency_limit = 2;
