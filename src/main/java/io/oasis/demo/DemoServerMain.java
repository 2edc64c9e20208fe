package io.oasis.demo;

import java.util.Map;

/**
 * The demo upstreams on their own, without Oasis, with the classic latencies:
 * {@code java -cp oasis.jar -Dloader.main=io.oasis.demo.DemoServerMain
 * org.springframework.boot.loader.launch.PropertiesLauncher [port] [host]}; the host defaults to 127.0.0.1 (a
 * container gives 0.0.0.0).
 */
public final class DemoServerMain {

    private DemoServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9090;
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        DemoServer server = new DemoServer(new DemoProperties(host, port, Map.of()));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }
}
