# The processor as a static binary on a distroless base, run as a non-root user.
# docker build -t checkout-connector . && docker run -p 8080:8080 --env-file processor.env checkout-connector
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# nomsgpack leaves out the msgpack codecs gin links otherwise (10 MB of binary). -trimpath
# and no build ids keep the binary the same for the same sources; the VCS
# revision is kept (debug.ReadBuildInfo) and shown by GET /operations/status.
RUN CGO_ENABLED=0 go build -tags nomsgpack -trimpath -buildvcs=true -ldflags="-s -w -buildid=" -o /out/processor ./cmd/processor

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/processor /processor
# One scheduler thread: the processor mostly waits on commercetools and the PSP, and a
# second one cost a sixth to a quarter more CPU per payment in the load command. Give a
# replica one CPU and scale by replicas, or raise this with the CPUs a replica gets.
ENV GOMAXPROCS=1
# Keeps Go's system monitor thread from falling into its deep sleep each time the
# scheduler runs dry, only to be woken by the next system call and nap every 20 µs for a
# millisecond after: about a tenth of the processor's CPU per payment in the load command.
# It naps 10 ms at a time instead. The side effect is a one-line scheduler summary on
# standard error every 2^31-1 ms (24.8 days) of the host's uptime.
ENV GODEBUG=schedtrace=2147483647
# The heap grows to five times what is live before the collector runs: a tenth less CPU
# per payment than Go's 100, for 25-35 MB more at the load command's peak. The
# processor sets its soft memory limit to nine tenths of the container's, so the
# collector works harder near it instead of the container being killed.
ENV GOGC=400
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/processor"]
