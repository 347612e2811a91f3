# gunicorn settings for BK-LOG's API (the values BK-LOG runs with).
import os

bind = "{}:{}".format(os.environ.get("LAN_IP", "127.0.0.1"), os.environ.get("BKLOG_API_PORT", "10400"))
workers = 8
timeout = 65
max_requests = 1000
accesslog = "-"
errorlog = "-"
