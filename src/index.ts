export {
  createDigitalOceanClient,
  type ClientMethod,
  type DigitalOceanClient,
  type DigitalOceanClientOptions,
  type RequestOptions,
  type Schema,
} from "./client.js";
export {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  PreconditionFailedError,
  RateLimitError,
  UnprocessableEntityError,
  isApiError,
  unwrap,
  RequestError,
  type ErrorBody,
  type RateLimit,
  type RequestErrorOptions,
} from "./errors.js";
export {
  ApiCall,
  ListCall,
  type CallOf,
  type CallOptions,
  type DropletCreateMethod,
  type Fields,
  type ListCallOptions,
  type Resource,
  type ResourceMethod,
  type Resources,
  type ToArrayOptions,
  type WithResponse,
} from "./resources.js";
export type * from "../generated/bodies.js";
export {
  paginate,
  collect,
  type CollectOptions,
  type ListPath,
  type ListItem,
  type PaginateOptions,
} from "./paginate.js";
export type { Logger, LogLevel } from "./log.js";
export {
  memoryPacing,
  type Budget,
  type PacingOptions,
  type PacingStore,
  type PacingWindow,
  type Sharing,
  type Taken,
} from "./pacing.js";
export type { RetryOptions } from "./retry.js";
export {
  waitFor,
  waitForDropletActive,
  waitForDropletDestroyed,
  waitForPartnerAttachmentActive,
  WaitTimeoutError,
  type WaitOptions,
  type WaiterOptions,
} from "./wait.js";
export type { paths, components, operations } from "../generated/schema.js";
export {
  OPERATIONS,
  type Answer,
  type Contract,
  type Contracts,
  type ErrorResponseBody,
  type ErrorStatus,
  type HeaderParams,
  type MethodName,
  type OperationId,
  type OperationInfo,
  type OperationOf,
  type OperationRow,
  type OperationTable,
  type PathParams,
  type Query,
  type RequestBody,
  type ResourceName,
  type SuccessBody,
  type SuccessStatus,
} from "./contract.js";
