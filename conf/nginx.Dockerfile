# nginx with Debian's cache purge module, for conf/nginx.conf (docker-compose's "nginx" service).
# curl is for the healthcheck. conf/nginx.conf names no user, so the workers run as nobody: the cache folder is theirs.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx-light libnginx-mod-http-cache-purge curl \
 && rm -rf /var/lib/apt/lists/* \
 && ln -sf /dev/stderr /var/log/nginx/error.log \
 && mkdir -p /var/cache/nginx/imgedge \
 && chown nobody:nogroup /var/cache/nginx/imgedge
CMD ["nginx", "-g", "daemon off;"]
