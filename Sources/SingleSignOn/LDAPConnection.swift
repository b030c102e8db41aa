import Logging
import NIOCore
import NIOPosix

/// Cuts the TCP byte stream into whole LDAP messages, however the reads happen to split them.
struct LDAPFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = try BERElement.frameLength(ofFirstElementIn: buffer.readableBytesView),
            let frame = buffer.readSlice(length: length)
        else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}

/// One TCP connection to a directory server, used for a strictly sequential conversation:
/// each request waits for its replies before the next is sent, so no multiplexing is needed.
struct LDAPConnection {
    private var replies: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let requests: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var lastMessageID = 0

    /// Connects, runs `body`, and closes the connection whatever happens.
    static func withConnection<Result: Sendable>(
        to address: LDAPServerAddress,
        connectTimeout: Duration,
        eventLoopGroup: any EventLoopGroup,
        _ body: (inout LDAPConnection) async throws -> Result
    ) async throws -> Result {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(TimeAmount(connectTimeout))
                .connect(host: address.host, port: address.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LDAPFrameDecoder()))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw LDAPError.unreachable("cannot connect to \(address.host):\(address.port): \(error)")
        }
        do {
            return try await channel.executeThenClose { inbound, outbound in
                var connection = LDAPConnection(replies: inbound.makeAsyncIterator(), requests: outbound)
                return try await body(&connection)
            }
        } catch let error as LDAPError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw LDAPError.unreachable("connection to \(address.host):\(address.port) failed: \(error)")
        }
    }

    private init(replies: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, requests: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.replies = replies
        self.requests = requests
    }

    mutating func bind(dn: String, password: String) async throws -> LDAPResult {
        let messageID = try await send(.bind(dn: dn, password: password))
        while true {
            switch try await nextReply(to: messageID) {
            case .bind(let result): return result
            default: continue
            }
        }
    }

    mutating func search(_ search: LDAPSearch) async throws -> (entries: [LDAPEntry], result: LDAPResult) {
        let messageID = try await send(.search(search))
        var entries: [LDAPEntry] = []
        while true {
            switch try await nextReply(to: messageID) {
            case .searchEntry(let entry): entries.append(entry)
            case .searchDone(let result): return (entries, result)
            // Referrals point at other servers; following them is out of scope for a login.
            case .searchReference, .bind, .extended: continue
            }
        }
    }

    /// Polite goodbye; the server needs no reply and the connection is closed right after.
    mutating func unbind() async {
        _ = try? await send(.unbind)
    }

    private mutating func send(_ request: LDAPRequest) async throws -> Int {
        lastMessageID += 1
        try await requests.write(ByteBuffer(bytes: request.envelope(messageID: lastMessageID).encoded))
        return lastMessageID
    }

    private mutating func nextReply(to messageID: Int) async throws -> LDAPResponse {
        while true {
            guard let frame = try await replies.next() else {
                throw LDAPError.unreachable("the directory server closed the connection")
            }
            let message: LDAPIncomingMessage
            do {
                message = try LDAPIncomingMessage(decoding: Array(frame.readableBytesView))
            } catch {
                throw LDAPError.protocolError("malformed reply from the directory server: \(error)")
            }
            if message.messageID == 0, case .extended(let notice) = message.response {
                throw LDAPError.unreachable("the directory server is disconnecting: \(notice.summary)")
            }
            if message.messageID == messageID { return message.response }
        }
    }
}
