// The client's waiters as tools: each polls one read operation until a long-running change is done, and answers
// with that operation's body, so its input and output schemas are the read's (and a timeout).
import type { DigitalOceanClient } from "../client.js";
import {
  type WaiterOptions,
  waitForDropletActive,
  waitForDropletDestroyed,
  waitForPartnerAttachmentActive,
} from "../wait.js";
import { type OperationTool, operationTools } from "./tools.js";

export interface WaiterTool extends OperationTool {
  wait(client: DigitalOceanClient, args: Record<string, any>, options: WaiterOptions): Promise<unknown>;
}

const WAITERS = [
  {
    name: "wait_for_droplet_active",
    title: "Wait until a Droplet is active",
    polls: "droplets_get",
    wait: async (client: DigitalOceanClient, args: Record<string, any>, options: WaiterOptions) => ({
      droplet: await waitForDropletActive(client, args.droplet_id, options),
    }),
  },
  {
    name: "wait_for_droplet_destroyed",
    title: "Wait until a Droplet's destroy with its associated resources has finished",
    polls: "droplets_get_destroy_associated_resources_status",
    wait: (client: DigitalOceanClient, args: Record<string, any>, options: WaiterOptions) =>
      waitForDropletDestroyed(client, args.droplet_id, options),
  },
  {
    name: "wait_for_partner_attachment_active",
    title: "Wait until a partner attachment is active",
    polls: "partner_network_connect_get",
    wait: async (client: DigitalOceanClient, args: Record<string, any>, options: WaiterOptions) => ({
      partner_attachment: await waitForPartnerAttachmentActive(client, args.pa_id, options),
    }),
  },
];

/** How long a waiter tool waits at most, in seconds. */
const TIMEOUT = {
  type: "integer",
  minimum: 1,
  maximum: 3600,
  default: 600,
  description: "Give up after this many seconds (default 600).",
};

/** The waiters as read-only tools, with the schemas and scopes of the operations they poll. */
export function waiterTools(): WaiterTool[] {
  return WAITERS.map(({ name, title, polls, wait }) => {
    const read = operationTools().find((tool) => tool.name === polls)!;
    const { properties, required } = read.inputSchema;
    return {
      ...read,
      name,
      title,
      description: `${title}: polls ${polls} every few seconds until it is, and answers with what ${polls} answers.`,
      inputSchema: { ...read.inputSchema, properties: { ...properties, timeout_seconds: TIMEOUT }, required },
      wait,
    };
  });
}
