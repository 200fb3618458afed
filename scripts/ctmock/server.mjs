// Serves @labdigital/commercetools-mock on a free loopback port and prints its base URL as
// one JSON line; the client's cross-check tests run against it. Any client credentials
// are accepted. Stops on SIGTERM or when standard input closes.
import { CommercetoolsMock } from "@labdigital/commercetools-mock";

const mock = new CommercetoolsMock({
  enableAuthentication: true,
  validateCredentials: false,
  defaultProjectKey: "crosscheck",
  silent: true,
});
await mock.app.listen({ port: Number(process.env.PORT ?? 0), host: "127.0.0.1" });
const { port } = mock.app.server.address();
console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));

const stop = async () => {
  await mock.app.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
