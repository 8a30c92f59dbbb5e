using TestKit.Processes;
using ConsoleProxy.Tests.TargetSecurity;

namespace ConsoleProxy.Tests.Browser;

/// <summary>
/// Real noVNC in real Chromium, through `consoleproxy serve --target-auth-schemes vencrypt` to QEMU serving VNC over
/// TLS that demands a client certificate: the page shows the VM's screen (noVNC itself cannot do VeNCrypt), and a
/// server the proxy must not trust ends in a page that says why.
/// </summary>
[Collection(BrowserTestCollection.Name)]
public sealed class VeNCryptConsoleTests(ConsoleStack stack)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task NoVNC_shows_the_screen_of_a_VM_that_serves_VNC_over_TLS_with_client_certificates()
    {
        using var credentials = new VeNCryptCredentials();
        await using var vm = await QemuVncServer.StartAsync(credentials.Qemu(verifyPeer: true));
        await using var proxy = await StartProxyAsync(credentials, vm, credentials.CaFile);
        var token = await proxy.MintTokenAsync(vm.Address, TimeSpan.FromMinutes(5));

        await using var page = await stack.Chromium.OpenAsync(token.Url);
        await page.CheckAsync(nameof(NoVNC_shows_the_screen_of_a_VM_that_serves_VNC_over_TLS_with_client_certificates), async page =>
        {
            var state = await page.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed");
            Assert.True(state == "connected", $"the page is '{state}': {await page.StatusTextAsync()}\nproxy:\n{proxy.Output}");
            var picture = await page.WaitForPictureAsync(TimeSpan.FromSeconds(15));
            Assert.Equal((720, 400), (picture.Width, picture.Height));
        });
    }

    [Fact]
    public async Task NoVNC_shows_the_screen_of_a_VM_that_serves_VNC_over_anonymous_TLS_when_vencrypt_anon_is_allowed()
    {
        await using var vm = await QemuVncServer.StartAsync(anonymousTls: true);
        await using var proxy = await ConsoleProxyProcess.StartAsync(stack.Redis.Address,
            "--allowed-target", $"127.0.0.1/32:{vm.Port}",
            "--target-auth-schemes", "vencrypt-anon");
        var token = await proxy.MintTokenAsync(vm.Address, TimeSpan.FromMinutes(5));

        await using var page = await stack.Chromium.OpenAsync(token.Url);
        await page.CheckAsync(nameof(NoVNC_shows_the_screen_of_a_VM_that_serves_VNC_over_anonymous_TLS_when_vencrypt_anon_is_allowed), async page =>
        {
            var state = await page.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed");
            Assert.True(state == "connected", $"the page is '{state}': {await page.StatusTextAsync()}\nproxy:\n{proxy.Output}");
            var picture = await page.WaitForPictureAsync(TimeSpan.FromSeconds(15));
            Assert.Equal((720, 400), (picture.Width, picture.Height));
        });
    }

    [Fact]
    public async Task A_VM_whose_certificate_another_CA_signed_gets_a_page_that_says_so()
    {
        using var credentials = new VeNCryptCredentials();
        await using var vm = await QemuVncServer.StartAsync(credentials.Qemu(verifyPeer: true));
        await using var proxy = await StartProxyAsync(credentials, vm, credentials.OtherCaFile);
        var token = await proxy.MintTokenAsync(vm.Address, TimeSpan.FromMinutes(5));

        await using var page = await stack.Chromium.OpenAsync(token.Url);
        var state = await page.WaitForStateAsync(ConnectTimeout, "connected", "disconnected", "failed");

        Assert.NotEqual("connected", state);
        Assert.EndsWith(
            "The virtual machine console cannot be reached. (console security: the VNC server's certificate is not signed by --target-ca)",
            await page.StatusTextAsync(), StringComparison.Ordinal);
    }

    private Task<ConsoleProxyProcess> StartProxyAsync(VeNCryptCredentials credentials, QemuVncServer vm, string caFile) =>
        ConsoleProxyProcess.StartAsync(stack.Redis.Address,
            "--allowed-target", $"127.0.0.1/32:{vm.Port}",
            "--target-auth-schemes", "vencrypt",
            "--target-ca", caFile,
            "--target-cert", credentials.ClientCertificateFile,
            "--target-key", credentials.ClientKeyFile);
}
