import {
  createDigitalOceanClient,
  unwrap,
  waitForDropletActive,
} from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const created = await unwrap(
  client.POST("/v2/droplets", {
    body: {
      name: "example.com",
      region: "nyc3",
      size: "s-1vcpu-1gb",
      image: "ubuntu-20-04-x64",
      ssh_keys: [289794],
      tags: ["env:prod", "web"],
      monitoring: true,
    },
  }),
);
// `name` makes one Droplet ({ droplet }), `names` several ({ droplets }).
if ("droplet" in created) {
  const droplet = await waitForDropletActive(client, created.droplet.id);
  console.log(`${droplet.name} is ${droplet.status}`);
}
