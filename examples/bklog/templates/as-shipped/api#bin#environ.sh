#!/bin/sh
# The API's environment, sourced before gunicorn starts. Every value comes from bklog.env.

export LAN_IP="__LAN_IP__"
export BKLOG_API_PORT="__BK_BKLOG_API_PORT__"

# the API's Python virtualenv first on PATH
export PATH="__BK_HOME__/.envs/bklog-api/bin:$PATH"

# PaaS
export BK_PAAS_HOST="__BK_PAAS_PUBLIC_URL__"
export BK_PAAS_INNER_HOST="__BK_PAAS_PRIVATE_URL__"

# the application
export BK_ENV="production"
export BK_LOG_DIR="__BK_HOME__/logs/bklog"
export DJANGO_SETTINGS_MODULE="settings"
export BKAPP_IS_BKLOG_API="1"
export APP_ID="__BK_BKLOG_APP_CODE__"
export APP_TOKEN="__BK_BKLOG_APP_SECRET__"

# MySQL
export DB_NAME="bk_log_search"
export DB_HOST="__BK_PAAS_MYSQL_HOST__"
export DB_PORT="__BK_PAAS_MYSQL_PORT__"
export DB_USERNAME="__BK_PAAS_MYSQL_USER__"
export DB_PASSWORD="__BK_PAAS_MYSQL_PASSWORD__"

# Grafana, which the API proxies
export BKAPP_GRAFANA_URL="http://__BK_BKLOG_GRAFANA_HOST__:__BK_BKLOG_GRAFANA_PORT__"

# Redis
export BK_BKLOG_REDIS_MODE="__BK_BKLOG_REDIS_MODE__"
export BK_BKLOG_REDIS_HOST="__BK_BKLOG_REDIS_HOST__"
export BK_BKLOG_REDIS_PORT="__BK_BKLOG_REDIS_PORT__"
export BK_BKLOG_REDIS_PASSWORD="__BK_BKLOG_REDIS_PASSWORD__"
