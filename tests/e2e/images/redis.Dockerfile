# The managed token store's image on the e2e cluster (it has no registry to pull docker.io/library/redis from):
# Debian 12's redis-server and redis-cli with busybox as the POSIX shell the operator's start script and readiness
# probe run in. `images/build.sh redis` builds it; the e2e ConsoleProxies name it in spec.tokenStore.managed.image.
FROM scratch
ARG VERSION=0
COPY . /
LABEL org.opencontainers.image.title="e2e-redis" \
      org.opencontainers.image.description="Debian's Redis for ConsoleOperator's end-to-end tests" \
      org.opencontainers.image.version="${VERSION}"
# The "redis" uid of the official images, which the operator's pod spec runs as.
USER 999:999
WORKDIR /data
EXPOSE 6379
ENTRYPOINT []
CMD ["redis-server"]
