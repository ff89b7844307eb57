import {
  createDigitalOceanClient,
  type DropletCreateSingle,
  waitForDropletActive,
} from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// `satisfies` makes a misspelt field in the variable a compile error.
const body = {
  name: "example.com",
  region: "nyc3",
  size: "s-1vcpu-1gb",
  image: "ubuntu-20-04-x64",
  ssh_keys: [289794],
  tags: ["env:prod", "web"],
  monitoring: true,
} satisfies DropletCreateSingle;

// `name` makes one Droplet ({ droplet }), `names` several ({ droplets }).
const { droplet } = await client.droplets.create(body);
const active = await waitForDropletActive(client, droplet.id);
console.log(`${active.name} is ${active.status}`);
