package io.oasis.demo;

import java.util.Map;

/**
 * The demo upstreams on their own, without Oasis, with the classic latencies:
 * {@code java -cp oasis.jar -Dloader.main=io.oasis.demo.DemoServerMain
 * org.springframework.boot.loader.launch.PropertiesLauncher [port]}.
 */
public final class DemoServerMain {

    private DemoServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9090;
        DemoServer server = new DemoServer(new DemoProperties("127.0.0.1", port, Map.of()));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }
}
