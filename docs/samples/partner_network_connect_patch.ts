import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const attachmentId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

// Connect a second VPC to the attachment.
const { partner_attachment } = await client.partnerNetworkConnect.patch(
  attachmentId,
  {
    vpc_ids: [
      "c140286f-e6ce-4131-8b7b-df4590ce8d6a",
      "994a2735-dc84-11e8-80bc-3cfdfea9fba1",
    ],
  },
);
console.log(partner_attachment.vpc_ids, partner_attachment.state);
