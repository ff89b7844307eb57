import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const attachmentId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

const { bgp_auth_key } =
  await client.partnerNetworkConnect.getBgpAuthKey(attachmentId);
// A secret: hand it to your router configuration, don't log it.
const authKey = bgp_auth_key.value;
console.log(authKey ? "BGP auth key retrieved" : "no BGP auth key set");
