// Types shared by the modules (compile-time imports; nothing here is deployed).

@export()
@description('A Service Bus queue, its delivery settings, and which way the function app uses it.')
type queueSpec = {
  @description('Queue name (docs/architecture.md).')
  name: string
  @description('Deliveries before the message is dead-lettered.')
  @minValue(1)
  @maxValue(2000)
  maxDeliveryCount: int
  @description('Peek-lock duration (ISO 8601, at most PT5M); an unfinished message is redelivered after it.')
  lockDuration: string
  @description('Time to live (ISO 8601); expired messages are dead-lettered.')
  defaultMessageTimeToLive: string
  @description('A function triggers on this queue: the app identity gets Azure Service Bus Data Receiver on it.')
  appReceives: bool
  @description('A function writes to this queue: the app identity gets Azure Service Bus Data Sender on it.')
  appSends: bool
  @description('App setting that carries the queue name for `%Setting%` binding expressions.')
  nameSetting: string
}

@export()
@description('A blob container or table and the app setting that carries its name.')
type namedStore = {
  @description('Container or table name (docs/architecture.md).')
  name: string
  @description('App setting that carries the name.')
  nameSetting: string
}
