select publish_id, as_of_date, published_at, git_commit from publish_info
