FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN useradd --system --home /app gospublic
WORKDIR /app
COPY --from=build /src/target/release/gospublic /usr/local/bin/gospublic
COPY --from=build /src/static /app/static
ENV GOSPUBLIC_STATIC_DIR=/app/static
USER gospublic
EXPOSE 8080
ENTRYPOINT ["gospublic"]
CMD ["serve"]
